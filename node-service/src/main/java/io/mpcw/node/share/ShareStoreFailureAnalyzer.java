package io.mpcw.node.share;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a share store refusal into Spring Boot's short "APPLICATION FAILED TO START" report, so an
 * operator reads one line about the key or the file instead of a bean-creation stack trace.
 */
class ShareStoreFailureAnalyzer extends AbstractFailureAnalyzer<ShareStoreException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ShareStoreException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Check the share store settings: mpcw.node.shares.dir (MPCW_NODE_SHARES_DIR),"
            + " mpcw.node.shares.key (MPCW_SHARE_KEY) or mpcw.node.shares.key-file"
            + " (MPCW_SHARE_KEY_FILE).",
        cause);
  }
}
