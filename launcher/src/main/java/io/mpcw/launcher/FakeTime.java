package io.mpcw.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's libfaketime, preloaded into one process to shift its wall clock. Chosen over a
 * clock-offset property because it needs no change in the services and shifts every wall-clock
 * reading of the process (JDK, TLS, Spring), as a wrong system clock would; the monotonic clock is
 * left alone (timeouts and durations stay true, as they do on a host whose clock is merely set
 * wrong).
 */
final class FakeTime {
  private FakeTime() {}

  /** The library's path; {@code ./mpcw chaos} installs the {@code libfaketime} package. */
  static String library() {
    for (String dir :
        new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"}) {
      Path lib = Path.of(dir, "faketime", "libfaketime.so.1");
      if (Files.isRegularFile(lib)) {
        return lib.toString();
      }
    }
    try (Stream<Path> found =
        Files.find(
            Path.of("/usr/lib"),
            4,
            (p, a) -> p.getFileName().toString().equals("libfaketime.so.1"))) {
      return found
          .findFirst()
          .map(Path::toString)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "libfaketime not found: apt-get install -y libfaketime (./mpcw chaos does this as root)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Variables that start a process with its wall clock {@code offset} (e.g. {@code +30s}) away. */
  static Map<String, String> env(String library, String offset) {
    return Map.of("LD_PRELOAD", library, "FAKETIME", offset, "FAKETIME_DONT_FAKE_MONOTONIC", "1");
  }
}
