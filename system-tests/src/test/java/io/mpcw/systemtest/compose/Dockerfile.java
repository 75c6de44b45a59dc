package io.mpcw.systemtest.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stages of a Dockerfile: their base, instructions and what they inherit. */
final class Dockerfile {
  private static final Pattern FROM =
      Pattern.compile("(?i)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
  private static final Pattern ARG = Pattern.compile("(?i)^ARG\\s+([A-Za-z_][A-Za-z0-9_]*)=(\\S+)");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

  /** One instruction, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  record Stage(String name, String base, List<Instruction> instructions) {}

  /** ARGs declared before the first FROM, with their defaults. */
  final Map<String, String> globalArgs = new LinkedHashMap<>();

  final Map<String, Stage> stages = new LinkedHashMap<>();

  Dockerfile(String text) {
    Stage current = null;
    for (String line : logicalLines(text)) {
      Matcher from = FROM.matcher(line);
      if (from.matches()) {
        String name = from.group(2) == null ? "stage-" + stages.size() : from.group(2);
        current = new Stage(name, resolve(from.group(1)), new ArrayList<>());
        stages.put(name, current);
        continue;
      }
      Matcher arg = ARG.matcher(line);
      if (current == null && arg.find()) {
        globalArgs.put(arg.group(1), arg.group(2));
      } else if (current != null) {
        int space = line.indexOf(' ');
        current
            .instructions()
            .add(
                new Instruction(
                    (space < 0 ? line : line.substring(0, space)).toUpperCase(),
                    space < 0 ? "" : line.substring(space + 1).trim()));
      }
    }
  }

  /** The default of an ARG declared before the first FROM. */
  Optional<String> globalArg(String name) {
    return Optional.ofNullable(globalArgs.get(name));
  }

  /** The stage and the stages it is built on, nearest first. */
  List<Stage> chain(String stage) {
    List<Stage> chain = new ArrayList<>();
    Stage s = stages.get(stage);
    while (s != null) {
      chain.add(s);
      s = stages.get(s.base());
    }
    return chain;
  }

  /** The last value of {@code keyword} that {@code stage} has or inherits. */
  Optional<String> effective(String stage, String keyword) {
    for (Stage s : chain(stage)) {
      for (int i = s.instructions().size() - 1; i >= 0; i--) {
        Instruction instruction = s.instructions().get(i);
        if (instruction.keyword().equals(keyword)) {
          return Optional.of(instruction.arguments());
        }
      }
    }
    return Optional.empty();
  }

  /** Every instruction {@code keyword} in any stage. */
  List<Instruction> all(String keyword) {
    List<Instruction> out = new ArrayList<>();
    stages
        .values()
        .forEach(
            s ->
                s.instructions().stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .forEach(out::add));
    return out;
  }

  private String resolve(String image) {
    Matcher m = REFERENCE.matcher(image);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(globalArgs.getOrDefault(m.group(1), m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static List<String> logicalLines(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
      } else {
        pending.append(line);
        lines.add(pending.toString().strip());
        pending.setLength(0);
      }
    }
    return lines;
  }
}
