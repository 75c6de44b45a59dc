package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.config.ApiProperties;
import io.mpcw.orchestrator.web.MetadataTooLargeException;
import io.mpcw.web.problem.SafeText;
import io.mpcw.web.problem.UnsafeTextException;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads {@code metadata} token by token into compact JSON and stops as soon as it passes {@code
 * mpcw.api.max-metadata-bytes}, so an oversized value is refused without being held as a tree; a
 * NUL or lone surrogate in a key or value is refused with the path to it. Created by Spring (for
 * the limit) through Jackson's handler instantiator.
 */
class MetadataDeserializer extends JsonDeserializer<JsonNode> {
  private final int maxBytes;

  MetadataDeserializer(ApiProperties api) {
    this.maxBytes = api.maxMetadataBytes();
  }

  @Override
  public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    ObjectMapper mapper = (ObjectMapper) p.getCodec();
    Bounded out = new Bounded(maxBytes);
    Deque<Object> path = new ArrayDeque<>();
    try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
      int depth = 0;
      JsonToken token = p.currentToken();
      do {
        if (token == JsonToken.FIELD_NAME) {
          path.pop();
          if (!SafeText.isSafe(p.currentName())) {
            throw at(new UnsafeTextException(p), path);
          }
          path.push(p.currentName());
        } else if (token.isScalarValue() && !path.isEmpty() && path.peek() instanceof Integer i) {
          path.pop();
          path.push(i + 1);
        }
        if (token == JsonToken.VALUE_STRING && !SafeText.isSafe(p.getText())) {
          throw at(new UnsafeTextException(p), path);
        }
        if (token.isStructStart() && !path.isEmpty() && path.peek() instanceof Integer i) {
          path.pop();
          path.push(i + 1);
        }
        gen.copyCurrentEvent(p);
        if (token.isStructStart()) {
          depth++;
          path.push(token == JsonToken.START_ARRAY ? (Object) (-1) : "");
        } else if (token.isStructEnd()) {
          depth--;
          path.pop();
        }
        if (depth == 0) {
          break;
        }
        token = p.nextToken();
      } while (token != null);
    } catch (Bounded.Exceeded e) {
      throw new MetadataTooLargeException(p, maxBytes);
    }
    return mapper.readTree(out.toString());
  }

  private static JsonMappingException at(JsonMappingException e, Deque<Object> path) {
    // the innermost field first: prependPath builds the path from the inside out
    for (Object ref : path) {
      if (ref instanceof String name && !name.isEmpty()) {
        e.prependPath(new JsonMappingException.Reference(null, name));
      } else if (ref instanceof Integer index && index >= 0) {
        e.prependPath(new JsonMappingException.Reference(null, index));
      }
    }
    return e;
  }

  /** A writer that fails once more than its limit has been written. */
  private static final class Bounded extends Writer {
    private final StringBuilder text = new StringBuilder();
    private final int limit;

    Bounded(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      text.append(chars, offset, length);
      // UTF-8 bytes are at least as many as chars; the exact count is checked below
      if (text.length() > limit) {
        throw new Exceeded();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() throws IOException {
      if (text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limit) {
        throw new Exceeded();
      }
    }

    @Override
    public String toString() {
      return text.toString();
    }

    static final class Exceeded extends IOException {
      Exceeded() {
        super("limit exceeded", null);
      }
    }
  }
}
