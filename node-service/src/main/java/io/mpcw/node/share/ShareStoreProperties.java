package io.mpcw.node.share;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where this node keeps its wallet shares and the key that encrypts them ({@code
 * mpcw.node.shares.*}). Exactly one of {@code key} and {@code keyFile} must be set: a node without
 * its share key refuses to start rather than keep shares in the clear.
 *
 * @param dir directory of the share files (env {@code MPCW_NODE_SHARES_DIR}); empty: {@code
 *     data/shares/<node-id>} under the working directory
 * @param key base64 of the 32-byte AES-256 share key (env {@code MPCW_SHARE_KEY})
 * @param keyFile file holding the base64 share key (env {@code MPCW_SHARE_KEY_FILE})
 */
@ConfigurationProperties("mpcw.node.shares")
public record ShareStoreProperties(
    @DefaultValue("") String dir, @DefaultValue("") String key, @DefaultValue("") String keyFile) {

  /** The share directory of {@code nodeId}. */
  public Path directory(String nodeId) {
    return dir.isBlank() ? Path.of("data", "shares", nodeId) : Path.of(dir);
  }

  @Override
  public String toString() {
    // the key must never reach a log line, not even through a bound-properties dump
    return "ShareStoreProperties[dir="
        + dir
        + ", key="
        + (key.isBlank() ? "<unset>" : "<set>")
        + ", keyFile="
        + keyFile
        + "]";
  }
}
