package io.mpcw.orchestrator.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cluster PKI directory ({@code ./mpcw pki init} fills it).
 *
 * @param dir holds {@code ca.crt} and this orchestrator's {@code <identity>.crt/.key}
 * @param identity this orchestrator's certificate CN
 */
@ConfigurationProperties("mpcw.pki")
public record PkiProperties(
    @DefaultValue(".mpcw/pki") Path dir, @DefaultValue("orchestrator") String identity) {}
