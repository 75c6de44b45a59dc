package io.mpcw.launcher.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code ./mpcw down}: stops the services first, the infrastructure last. */
public final class DownCommand {
  private final Layout layout;

  public DownCommand(Layout layout) {
    this.layout = layout;
  }

  public int run() {
    List<String> names = new ArrayList<>(Processes.known(layout));
    Collections.reverse(names);
    if (names.isEmpty()) {
      System.out.println("nothing is running");
      return 0;
    }
    List<String> services = names.stream().filter(n -> !n.equals("infra")).toList();
    services.parallelStream().forEach(n -> Processes.stop(layout, n, Duration.ofSeconds(20)));
    if (names.contains("infra")) {
      Processes.stop(layout, "infra", Duration.ofSeconds(30));
    }
    System.out.println("stopped: " + String.join(", ", names));
    return 0;
  }
}
