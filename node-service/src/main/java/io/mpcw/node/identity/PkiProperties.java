package io.mpcw.node.identity;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cluster PKI directory ({@code mpcw.pki.*}), filled by {@code ./mpcw pki init}.
 *
 * @param dir holds {@code ca.crt} and this node's {@code <node-id>.crt} / {@code <node-id>.key}
 *     (env {@code MPCW_PKI_DIR})
 */
@ConfigurationProperties("mpcw.pki")
public record PkiProperties(@DefaultValue(".mpcw/pki") Path dir) {}
