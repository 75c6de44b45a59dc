package io.mpcw.web.problem;

/**
 * Text a service may store and pass on: no NUL (PostgreSQL refuses it in text and jsonb, C code
 * truncates at it) and no unpaired UTF-16 surrogate (not Unicode; refused by jsonb, mangled by
 * UTF-8 encoders).
 */
public final class SafeText {
  public static final String PROBLEM = "must not contain NUL or unpaired surrogate characters";

  private SafeText() {}

  public static boolean isSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
