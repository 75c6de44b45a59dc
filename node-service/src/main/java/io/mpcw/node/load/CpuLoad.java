package io.mpcw.node.load;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.springframework.stereotype.Component;

/**
 * This process's CPU use in percent. Process rather than system load: nodes of a local cluster
 * share one machine, and only the process figure tells them apart.
 */
@Component
public class CpuLoad {
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

  /** 0 to 100; 0 when the JVM cannot measure it (yet). */
  public double percent() {
    double load =
        os instanceof com.sun.management.OperatingSystemMXBean sun
            ? sun.getProcessCpuLoad()
            : os.getSystemLoadAverage() / os.getAvailableProcessors();
    if (Double.isNaN(load) || load < 0) {
      return 0;
    }
    return Math.min(100, Math.round(load * 1000) / 10.0);
  }
}
