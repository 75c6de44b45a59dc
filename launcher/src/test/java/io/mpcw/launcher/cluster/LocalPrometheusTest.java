package io.mpcw.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LocalPrometheusTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern JOB = Pattern.compile("- job_name: (\\S+)");

  @Test
  void defaultLayoutScrapesTheComposeJobsOnTheDocumentedPorts() throws Exception {
    Layout layout = new Layout(REPO, REPO.resolve(".mpcw"), 5, 0, 1);
    String config = new LocalPrometheus(layout, true).scrapeConfig();

    assertThat(jobs(config)).isEqualTo(jobs(Files.readString(composeConfig())));
    assertThat(config)
        .contains(
            "[\"127.0.0.1:8101\", \"127.0.0.1:8102\", \"127.0.0.1:8103\", \"127.0.0.1:8104\","
                + " \"127.0.0.1:8105\"]")
        .contains("[\"127.0.0.1:9081\"]")
        .contains("[\"127.0.0.1:18443\"]")
        .contains("[\"127.0.0.1:52479\"]");
  }

  @Test
  void movedLayoutShiftsEveryPortAndListsEveryNodeAndEtcdMember() throws Exception {
    Layout layout = new Layout(REPO, Path.of("/tmp/x"), 7, 10_000, 3);
    String config = new LocalPrometheus(layout, true).scrapeConfig();

    assertThat(config)
        .contains("\"127.0.0.1:18107\"")
        .doesNotContain("\"127.0.0.1:18108\"")
        // etcd's plain-HTTP metrics listeners: its client ports need a certificate
        .contains("[\"127.0.0.1:62479\", \"127.0.0.1:62480\", \"127.0.0.1:62481\"]")
        .contains("[\"127.0.0.1:19090\"]")
        .contains("[\"127.0.0.1:19000\"]")
        .doesNotContain("\"127.0.0.1:9081\"");
  }

  @Test
  void anExternalBitcoindHasNoChainJob() throws Exception {
    Layout layout = new Layout(REPO, REPO.resolve(".mpcw"), 5, 0, 1);
    String config = new LocalPrometheus(layout, false).scrapeConfig();

    assertThat(jobs(config)).doesNotContain("chain").contains("nodes", "etcd", "orchestrator");
    assertThat(config).doesNotContain("18443");
  }

  private static Path composeConfig() {
    return REPO.resolve("docker/prometheus/prometheus.yml");
  }

  private static List<String> jobs(String config) {
    Matcher m = JOB.matcher(config);
    List<String> jobs = new java.util.ArrayList<>();
    while (m.find()) {
      jobs.add(m.group(1));
    }
    return jobs;
  }
}
