package io.mpcw.transport.pki;

import java.util.regex.Pattern;

/** Identity names become file names and certificate CNs, so they are kept to a safe alphabet. */
public final class IdentityNames {

  /** Name of the cluster CA's own files; no leaf identity may take it. */
  public static final String CA = "ca";

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private IdentityNames() {}

  /** Throws {@link IllegalArgumentException} unless {@code name} can be a leaf identity. */
  public static String requireValid(String name) {
    if (name == null || !VALID.matcher(name).matches() || CA.equals(name)) {
      throw new IllegalArgumentException(
          "identity must match [a-z0-9][a-z0-9-]{0,62} and not be 'ca': " + name);
    }
    return name;
  }
}
