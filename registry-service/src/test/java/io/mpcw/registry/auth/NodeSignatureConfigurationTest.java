package io.mpcw.registry.auth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeSignatureConfigurationTest {

  @Test
  void refusesToStartWithoutTheClusterCa() throws Exception {
    Path empty = Files.createTempDirectory("no-pki-");

    assertThatThrownBy(
            () ->
                new NodeSignatureConfiguration()
                    .nodeSignatureFilter(
                        new NodeAuthProperties(empty, Duration.ofSeconds(60)), new ObjectMapper()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no cluster CA at")
        .hasMessageContaining("MPCW_PKI_DIR");
  }
}
