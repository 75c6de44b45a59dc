package io.mpcw.web.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

/** A JSON string that is not {@link SafeText safe}; its path names the field. */
public class UnsafeTextException extends InvalidFormatException {
  public UnsafeTextException(JsonParser parser) {
    super(parser, SafeText.PROBLEM, null, String.class);
  }
}
