package io.mpcw.orchestrator.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/** A payment's {@code metadata} passed {@code mpcw.api.max-metadata-bytes} while being read. */
public class MetadataTooLargeException extends JsonMappingException {
  private final int limit;

  public MetadataTooLargeException(JsonParser parser, int limit) {
    super(parser, "metadata larger than " + limit + " bytes");
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}
