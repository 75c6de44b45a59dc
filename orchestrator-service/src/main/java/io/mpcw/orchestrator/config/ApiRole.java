package io.mpcw.orchestrator.config;

/** What an API key may do: {@code read} only reads; {@code submit} also creates and cancels. */
public enum ApiRole {
  SUBMIT,
  READ;

  public String authority() {
    return "ROLE_" + name();
  }
}
