import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Turns a Go CPU profile (pprof's gzipped protobuf, as etcd's {@code /debug/pprof/profile} serves
 * it) into collapsed stacks, root first, weighted in milliseconds of CPU, the format of
 * async-profiler's collapsed output that bench/ProfileSummary.java reads. Only the fields a CPU
 * profile needs are decoded (profile.proto: sample, location, function, string_table); no Go
 * toolchain is needed.
 * usage: java bench/PprofCollapse.java <profile.pb.gz> > etcd.collapsed
 */
public class PprofCollapse {
  public static void main(String[] args) throws IOException {
    byte[] data;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(args[0])))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      data = out.toByteArray();
    }
    List<long[]> sampleLocations = new ArrayList<>();
    List<long[]> sampleValues = new ArrayList<>();
    List<Long> sampleTypes = new ArrayList<>();
    Map<Long, long[]> locationFunctions = new HashMap<>();
    Map<Long, Long> functionNames = new HashMap<>();
    List<String> strings = new ArrayList<>();
    Reader profile = new Reader(data);
    while (profile.more()) {
      int key = (int) profile.varint();
      int field = key >>> 3;
      int wire = key & 7;
      if (wire != 2) {
        profile.skip(wire);
        continue;
      }
      Reader message = profile.message();
      switch (field) {
        case 1 -> sampleTypes.add(valueType(message)); // sample_type: its unit's string index
        case 2 -> {
          List<Long> locations = new ArrayList<>();
          List<Long> values = new ArrayList<>();
          while (message.more()) {
            int k = (int) message.varint();
            List<Long> into = (k >>> 3) == 1 ? locations : (k >>> 3) == 2 ? values : null;
            if (into == null) {
              message.skip(k & 7);
            } else if ((k & 7) == 2) {
              Reader packed = message.message();
              while (packed.more()) {
                into.add(packed.varint());
              }
            } else {
              into.add(message.varint());
            }
          }
          sampleLocations.add(locations.stream().mapToLong(Long::longValue).toArray());
          sampleValues.add(values.stream().mapToLong(Long::longValue).toArray());
        }
        case 4 -> {
          long id = 0;
          List<Long> functions = new ArrayList<>();
          while (message.more()) {
            int k = (int) message.varint();
            if ((k >>> 3) == 1 && (k & 7) == 0) {
              id = message.varint();
            } else if ((k >>> 3) == 4 && (k & 7) == 2) {
              Reader line = message.message();
              while (line.more()) {
                int lk = (int) line.varint();
                if ((lk >>> 3) == 1 && (lk & 7) == 0) {
                  functions.add(line.varint());
                } else {
                  line.skip(lk & 7);
                }
              }
            } else {
              message.skip(k & 7);
            }
          }
          locationFunctions.put(id, functions.stream().mapToLong(Long::longValue).toArray());
        }
        case 5 -> {
          long id = 0;
          long name = 0;
          while (message.more()) {
            int k = (int) message.varint();
            if ((k & 7) != 0) {
              message.skip(k & 7);
            } else if ((k >>> 3) == 1) {
              id = message.varint();
            } else if ((k >>> 3) == 2) {
              name = message.varint();
            } else {
              message.varint();
            }
          }
          functionNames.put(id, name);
        }
        case 6 -> strings.add(message.string());
        default -> {}
      }
    }
    // the value in nanoseconds (a CPU profile has "samples/count" and "cpu/nanoseconds")
    int nanos = -1;
    for (int i = 0; i < sampleTypes.size(); i++) {
      if (strings.get(sampleTypes.get(i).intValue()).equals("nanoseconds")) {
        nanos = i;
      }
    }
    if (nanos < 0) {
      throw new IllegalArgumentException("not a CPU profile: no value in nanoseconds");
    }
    Map<String, Long> stacks = new TreeMap<>();
    for (int s = 0; s < sampleLocations.size(); s++) {
      List<String> frames = new ArrayList<>();
      for (long location : sampleLocations.get(s)) {
        for (long function : locationFunctions.getOrDefault(location, new long[0])) {
          frames.add(strings.get(functionNames.getOrDefault(function, 0L).intValue()));
        }
      }
      // pprof lists the leaf first; collapsed stacks put the root first
      java.util.Collections.reverse(frames);
      String stack = frames.isEmpty() ? "[no frames]" : String.join(";", frames);
      stacks.merge(stack, sampleValues.get(s)[nanos], Long::sum);
    }
    stacks.forEach(
        (stack, ns) -> {
          long ms = Math.round(ns / 1e6);
          if (ms > 0) {
            System.out.println(stack + " " + ms);
          }
        });
  }

  /** A ValueType message's unit (field 2), a string index. */
  private static long valueType(Reader message) {
    long unit = 0;
    while (message.more()) {
      int k = (int) message.varint();
      if ((k >>> 3) == 2 && (k & 7) == 0) {
        unit = message.varint();
      } else if ((k & 7) == 0) {
        message.varint();
      } else {
        message.skip(k & 7);
      }
    }
    return unit;
  }

  /** Protobuf's wire format, the parts a profile uses. */
  private static final class Reader {
    private final byte[] bytes;
    private int at;
    private final int end;

    Reader(byte[] bytes) {
      this(bytes, 0, bytes.length);
    }

    private Reader(byte[] bytes, int from, int end) {
      this.bytes = bytes;
      this.at = from;
      this.end = end;
    }

    boolean more() {
      return at < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[at++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }

    Reader message() {
      int length = (int) varint();
      Reader inner = new Reader(bytes, at, at + length);
      at += length;
      return inner;
    }

    String string() {
      return new String(bytes, at, end - at, java.nio.charset.StandardCharsets.UTF_8);
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint();
        case 1 -> at += 8;
        case 2 -> at += (int) varint();
        case 5 -> at += 4;
        default -> throw new IllegalArgumentException("wire type " + wire);
      }
    }
  }
}
