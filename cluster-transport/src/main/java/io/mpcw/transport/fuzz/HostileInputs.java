package io.mpcw.transport.fuzz;

import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Input no well-behaved peer sends, from a fixed seed so a run can be repeated: payloads mutated
 * from a valid sample, message types nobody serves, and abused frames. Every string it makes
 * carries {@link #MARKER}, so a reply or log line that repeats input is easy to find.
 */
public final class HostileInputs {

  /** In every hostile string; a reply containing it echoes input. */
  public static final String MARKER = "QZXFUZZ";

  private static final Pattern UNKNOWN_FIELD =
      Pattern.compile("unknown field [A-Za-z_][A-Za-z0-9_]{0,31}(?![A-Za-z0-9_])");

  private final Random random;

  public HostileInputs(long seed) {
    this.random = new Random(seed);
  }

  /** A type string of up to {@code maxLength} characters that no server serves. */
  public String type(int maxLength) {
    String base = MARKER + ".type." + Long.toHexString(random.nextLong());
    int extra = Math.max(0, random.nextInt(Math.max(1, maxLength - base.length())));
    return base + "x".repeat(extra);
  }

  /**
   * {@code count} payloads derived from the valid JSON object {@code sample}, the fixed ones first.
   */
  public List<byte[]> payloads(String sample, int count) {
    List<byte[]> out = new ArrayList<>();
    String marked = "\"" + MARKER + "-" + "7".repeat(200) + "\"";
    out.add(utf8(sample + "garbage" + MARKER));
    out.add(utf8(sample + sample));
    out.add(withBom(utf8(sample)));
    out.add(sample.getBytes(StandardCharsets.UTF_16LE));
    out.add(sample.getBytes(StandardCharsets.UTF_16));
    out.add(utf8(sample.substring(0, sample.length() / 2)));
    out.add(utf8("{\"" + MARKER + "_field\":1," + sample.substring(1)));
    out.add(utf8("{\"" + MARKER + "x".repeat(10_000) + "\":1," + sample.substring(1)));
    out.add(utf8("[" + sample + "]"));
    out.add(utf8(marked));
    out.add(utf8("{\"a\":" + "[".repeat(3_000) + "]".repeat(3_000) + "}"));
    out.add(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'});
    out.add(new byte[0]);
    out.add(utf8("null"));
    while (out.size() < count) {
      out.add(mutate(sample, marked));
    }
    return out.subList(0, count);
  }

  private byte[] mutate(String sample, String marked) {
    return switch (random.nextInt(6)) {
      case 0 -> replaceValue(sample, marked);
      case 1 -> replaceValue(sample, "[" + marked + "]");
      case 2 -> replaceValue(sample, String.valueOf(random.nextLong()) + "9".repeat(40));
      case 3 -> replaceValue(sample, "{\"" + MARKER + "\":" + marked + "}");
      case 4 -> replaceValue(sample, "null");
      default -> randomBytes(1 + random.nextInt(512));
    };
  }

  /** {@code sample} with one of its values (chosen at random) replaced by {@code value}. */
  private byte[] replaceValue(String sample, String value) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while ((i = sample.indexOf("\":", i)) >= 0) {
      int start = i + 2;
      int end = valueEnd(sample, start);
      if (end > start) {
        spans.add(new int[] {start, end});
      }
      i = start;
    }
    if (spans.isEmpty()) {
      return utf8(sample + value);
    }
    int[] span = spans.get(random.nextInt(spans.size()));
    return utf8(sample.substring(0, span[0]) + value + sample.substring(span[1]));
  }

  private static int valueEnd(String json, int start) {
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
          if (depth == 0) {
            return i + 1;
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return json.length();
  }

  /** Bytes of a frame that breaks the framing itself (length, version, envelope, extra bytes). */
  public byte[] abusedFrame(String type) {
    Envelope valid =
        Envelopes.request(type, random.nextLong(), Instant.now().plusSeconds(10), utf8("{}"));
    byte[] encoded = Frames.encode(valid);
    return switch (random.nextInt(7)) {
      case 0 -> randomBytes(1 + random.nextInt(256));
      case 1 -> ByteBuffer.allocate(4 + 16).putInt(Integer.MAX_VALUE).array();
      case 2 -> ByteBuffer.allocate(4 + 10).putInt(100).array();
      case 3 -> ByteBuffer.allocate(4 + 8).putInt(8).putLong(random.nextLong()).array();
      case 4 -> Frames.encode(valid.toBuilder().setVersion(2 + random.nextInt(1000)).build());
      case 5 -> {
        byte[] extra = new byte[encoded.length + 1 + random.nextInt(64)];
        System.arraycopy(encoded, 0, extra, 0, encoded.length);
        yield extra;
      }
      default -> new byte[] {0, 0};
    };
  }

  /** A request frame of {@code type} around {@code payload}, with a deadline 10 s ahead. */
  public byte[] frame(String type, byte[] payload) {
    return Frames.encode(
        Envelopes.request(type, random.nextLong(), Instant.now().plusSeconds(10), payload));
  }

  /**
   * True when {@code reply} repeats hostile input or names internals (Java classes, the JSON
   * library). Naming an unknown field is allowed when its name is a plain identifier of at most 32
   * characters (it says what is wrong, and such a name cannot carry anything).
   */
  public static boolean leaks(String reply) {
    String withoutFieldNames = UNKNOWN_FIELD.matcher(reply).replaceAll("unknown field");
    return withoutFieldNames.contains(MARKER)
        || withoutFieldNames.contains("io.mpcw.")
        || withoutFieldNames.contains("java.")
        || withoutFieldNames.contains("com.fasterxml")
        || withoutFieldNames.contains("Exception");
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] withBom(byte[] body) {
    byte[] out = new byte[body.length + 3];
    out[0] = (byte) 0xEF;
    out[1] = (byte) 0xBB;
    out[2] = (byte) 0xBF;
    System.arraycopy(body, 0, out, 3, body.length);
    return out;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
