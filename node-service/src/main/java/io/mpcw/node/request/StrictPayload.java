package io.mpcw.node.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The payload of a request as a node accepts it: strict UTF-8 without a byte-order mark, exactly
 * one JSON object and nothing after it, no field twice. What is wrong is said in the protocol's
 * terms (field names, "malformed JSON", "unknown field x"): never a Java class, a library's message
 * or a piece of the input, since the reply goes back to whoever sent it and its log line must not
 * be a way to write into the node's log.
 */
public final class StrictPayload {

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /**
   * A name that is safe to repeat: what the protocol's own field names look like. An unknown field
   * is named only in this shape; it cannot carry anything a log or a reply should not hold.
   */
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");

  private static final Pattern MISSING =
      Pattern.compile("Missing (?:required )?creator property '([^']*)'");

  /** Runs of a message long enough to be a value taken from the input (ids, hex, addresses). */
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_+/=.:-]{8,}");

  private static final int MAX_DETAIL = 160;

  private final String text;
  private final Set<String> fieldNames;

  private StrictPayload(String text, Set<String> fieldNames) {
    this.text = text;
    this.fieldNames = fieldNames;
  }

  /**
   * Checks {@code payload}, then decodes it with {@code codec} (which refuses unknown fields, wrong
   * types and invalid values with an {@link IllegalArgumentException}).
   *
   * @param what the message, as the reply names it (e.g. {@code vote.request.v1})
   * @throws MalformedPayloadException with a reason fit to send back
   */
  public static <T> T decode(
      byte[] payload, Class<T> type, String what, BiFunction<byte[], Class<T>, T> codec) {
    return check(payload).read(payload, type, what, codec);
  }

  /**
   * Decodes {@code payload}, which {@link #check} has passed as this instance, with {@code codec}.
   *
   * @throws MalformedPayloadException with a reason fit to send back
   */
  public <T> T read(
      byte[] payload, Class<T> type, String what, BiFunction<byte[], Class<T>, T> codec) {
    try {
      return codec.apply(payload, type);
    } catch (IllegalArgumentException e) {
      throw new MalformedPayloadException(reason(e, what));
    }
  }

  /** Checks {@code payload} without decoding it; see {@link #decode}. */
  public static StrictPayload check(byte[] payload) {
    if (payload.length >= 3
        && (payload[0] & 0xff) == 0xEF
        && (payload[1] & 0xff) == 0xBB
        && (payload[2] & 0xff) == 0xBF) {
      throw new MalformedPayloadException("payload must be UTF-8 without a byte-order mark");
    }
    String text = utf8(payload);
    Set<String> names = new HashSet<>();
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedPayloadException("payload must be one JSON object");
      }
      int depth = 1;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          throw new MalformedPayloadException("malformed JSON: the document ends early");
        }
        switch (token) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case FIELD_NAME -> names.add(parser.currentName());
          default -> {}
        }
      }
      if (!endsHere(parser)) {
        throw new MalformedPayloadException(
            "payload must be exactly one JSON document: data follows it");
      }
    } catch (StreamConstraintsException e) {
      throw new MalformedPayloadException("malformed JSON: nested too deeply or a value too long");
    } catch (JsonParseException e) {
      throw new MalformedPayloadException(
          e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
              ? "duplicate field" + named(Optional.ofNullable(currentName(e)))
              : "malformed JSON");
    } catch (IOException e) {
      throw new MalformedPayloadException("malformed JSON");
    }
    return new StrictPayload(text, names);
  }

  private static boolean endsHere(JsonParser parser) throws IOException {
    try {
      return parser.nextToken() == null;
    } catch (JsonParseException garbage) {
      return false;
    }
  }

  /**
   * {@code message} if it repeats nothing of this payload's values, else a sentence without it: for
   * the detail of an exception thrown while handling the decoded request.
   */
  public String safe(String message, String fallback) {
    String line = message == null ? "" : message.lines().findFirst().orElse("");
    String printable = line.replaceAll("[^\\x20-\\x7e]", "?");
    Matcher words = WORD.matcher(printable);
    while (words.find()) {
      String word = words.group();
      if (!fieldNames.contains(word) && text.contains(word)) {
        return fallback;
      }
    }
    if (printable.isBlank() || looksLikeInternals(printable)) {
      return fallback;
    }
    return printable.length() > MAX_DETAIL ? printable.substring(0, MAX_DETAIL) + "…" : printable;
  }

  private String reason(IllegalArgumentException e, String what) {
    Optional<JsonProcessingException> json = jsonCause(e);
    if (json.isEmpty()) {
      return safe(e.getMessage(), "invalid " + what);
    }
    JsonProcessingException cause = json.get();
    String at = cause instanceof JsonMappingException mapping ? path(mapping) : "";
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return "unknown field" + named(Optional.ofNullable(unknown.getPropertyName()));
    }
    if (cause instanceof ValueInstantiationException invalid) {
      Throwable root = invalid.getCause() == null ? invalid : invalid.getCause();
      String where = at.isEmpty() ? "invalid " + what : "invalid " + at;
      String detail = safe(root.getMessage(), "");
      return detail.isEmpty() ? where : where + ": " + detail;
    }
    if (cause instanceof MismatchedInputException mismatch) {
      Matcher missing = MISSING.matcher(String.valueOf(mismatch.getOriginalMessage()));
      if (missing.find()) {
        return "missing field" + named(Optional.of(missing.group(1)));
      }
      return at.isEmpty()
          ? what + " has a value of the wrong type"
          : "field " + at + " has a value of the wrong type";
    }
    if (cause instanceof JsonParseException || cause instanceof StreamConstraintsException) {
      return "malformed JSON";
    }
    return at.isEmpty() ? "invalid " + what : "invalid " + at;
  }

  private static Optional<JsonProcessingException> jsonCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonProcessingException json) {
        return Optional.of(json);
      }
    }
    return Optional.empty();
  }

  /** {@code commitments[2].hiding}; a map key (the peer's string) is shown as {@code <key>}. */
  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(
            ref ->
                ref.getFieldName() != null
                    ? (FIELD_NAME.matcher(ref.getFieldName()).matches()
                            && !(ref.getFrom() instanceof Map<?, ?>)
                        ? "." + ref.getFieldName()
                        : ".<key>")
                    : (ref.getIndex() >= 0 ? "[" + ref.getIndex() + "]" : ""))
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  private static String named(Optional<String> name) {
    return name.filter(n -> FIELD_NAME.matcher(n).matches()).map(n -> " " + n).orElse("");
  }

  private static String currentName(JsonParseException e) {
    try {
      JsonParser parser = e.getProcessor();
      return parser == null ? null : parser.currentName();
    } catch (IOException | RuntimeException ignored) {
      return null;
    }
  }

  /** Class names and library phrasing have no place in a reply. */
  private static boolean looksLikeInternals(String message) {
    return message.contains("java.")
        || message.contains("io.mpcw.")
        || message.contains("com.fasterxml")
        || message.contains("Exception")
        || message.contains("Cannot construct")
        || message.contains("Source:");
  }

  private static String utf8(byte[] payload) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new MalformedPayloadException("payload is not valid UTF-8");
    }
  }

  /** A payload refused before or while decoding; the message is safe to send back and log. */
  public static final class MalformedPayloadException extends IllegalArgumentException {
    public MalformedPayloadException(String message) {
      super(message);
    }
  }
}
