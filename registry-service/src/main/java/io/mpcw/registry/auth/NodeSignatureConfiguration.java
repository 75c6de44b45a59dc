package io.mpcw.registry.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.pki.SignedRequestVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the cluster CA (the registry refuses to start without it) and installs the filter.
 * Signatures are checked against the wall clock, not the liveness clock: certificate validity and
 * request freshness are real time.
 */
@Configuration(proxyBeanMethods = false)
class NodeSignatureConfiguration {

  @Bean
  FilterRegistrationBean<NodeSignatureFilter> nodeSignatureFilter(
      NodeAuthProperties properties, ObjectMapper json) {
    Path caFile = properties.dir().resolve("ca.crt");
    if (!Files.exists(caFile)) {
      throw new IllegalStateException(
          "no cluster CA at "
              + caFile.toAbsolutePath()
              + ": run ./mpcw pki init (./mpcw up does it) or set MPCW_PKI_DIR");
    }
    X509Certificate ca = PemFiles.readCertificate(caFile);
    FilterRegistrationBean<NodeSignatureFilter> registration =
        new FilterRegistrationBean<>(
            new NodeSignatureFilter(
                new SignedRequestVerifier(ca, Clock.systemUTC(), properties.maxClockSkew()), json));
    registration.addUrlPatterns("/api/*");
    return registration;
  }
}
