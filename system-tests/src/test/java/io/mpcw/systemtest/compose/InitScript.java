package io.mpcw.systemtest.compose;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What docker/bin/mpcw-init writes into the env file that the orchestrator's entrypoint loads. */
final class InitScript {
  private static final Pattern HEREDOC =
      Pattern.compile("<<(\\w+)\\n(.*?)\\n\\1\\n", Pattern.DOTALL);

  /** The first {@code mv} after a here-document: where the file it wrote ends up. */
  private static final Pattern MOVE = Pattern.compile("(?m)^\\s*mv (?:-f )?\"\\$tmp\" (\\S+)\\s*$");

  private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*)=");

  private InitScript() {}

  /** The variables of the here-document that becomes {@code $api_keys}. */
  static Set<String> envFileVariables(String script) {
    Set<String> names = new TreeSet<>();
    Matcher doc = HEREDOC.matcher(script);
    while (doc.find()) {
      Matcher move = MOVE.matcher(script);
      if (move.find(doc.end()) && move.group(1).equals("\"$api_keys\"")) {
        Matcher m = ASSIGNMENT.matcher(doc.group(2));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
