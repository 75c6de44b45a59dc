package io.mpcw.orchestrator.security;

/** What an API key may do: {@code read} only reads; {@code submit} also creates and cancels. */
public enum ApiRole {
  SUBMIT,
  READ;

  String authority() {
    return "ROLE_" + name();
  }
}
