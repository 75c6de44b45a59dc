package io.mpcw.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.votes.VoteMessages;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vote and the protocol codec are one strict codec with different options: both refuse the same
 * malformed inputs, and each keeps its own wire format byte for byte.
 */
class StrictCodecsTest {

  record Sample(String name, long amount, int count) {}

  record VoteShaped(String nodeId, String note, Instant at) {}

  record ProtocolShaped(String nodeId, String note, long amount) {}

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("unknown field", "{\"name\":\"a\",\"amount\":1,\"count\":2,\"extra\":3}"),
        Arguments.of("missing field", "{\"name\":\"a\",\"amount\":1}"),
        Arguments.of("null for a number", "{\"name\":\"a\",\"amount\":null,\"count\":2}"),
        Arguments.of("float for an integer", "{\"name\":\"a\",\"amount\":1.5,\"count\":2}"),
        Arguments.of("text for a number", "{\"name\":\"a\",\"amount\":\"x\",\"count\":2}"),
        Arguments.of("duplicate field", "{\"name\":\"a\",\"amount\":1,\"amount\":9,\"count\":2}"),
        Arguments.of("trailing tokens", "{\"name\":\"a\",\"amount\":1,\"count\":2} {}"),
        Arguments.of("unterminated object", "{\"name\":\"a\",\"amount\":1"),
        Arguments.of("no content", ""),
        Arguments.of("null document", "null"),
        Arguments.of("array instead of object", "[\"a\",1,2]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void voteMessagesRefuseMalformedInput(String what, String json) {
    assertRefused(VoteMessages::decode, json);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void protocolMessagesRefuseMalformedInput(String what, String json) {
    assertRefused(ProtocolMessages::decode, json);
  }

  @Test
  void bothAcceptTheWellFormedSample() {
    byte[] json = "{\"name\":\"a\",\"amount\":1,\"count\":2}".getBytes(StandardCharsets.UTF_8);
    assertThat(VoteMessages.decode(json, Sample.class)).isEqualTo(new Sample("a", 1, 2));
    assertThat(ProtocolMessages.decode(json, Sample.class)).isEqualTo(new Sample("a", 1, 2));
  }

  @Test
  void voteMessagesKeepCamelCaseNullsAndIsoInstants() {
    VoteShaped message = new VoteShaped("node-1", null, Instant.parse("2026-12-05T06:00:00Z"));

    byte[] wire = VoteMessages.encode(message);

    assertThat(new String(wire, StandardCharsets.UTF_8))
        .isEqualTo("{\"nodeId\":\"node-1\",\"note\":null,\"at\":\"2026-12-05T06:00:00Z\"}");
    assertThat(VoteMessages.decode(wire, VoteShaped.class)).isEqualTo(message);
  }

  @Test
  void protocolMessagesKeepSnakeCaseAndDropNulls() {
    ProtocolShaped message = new ProtocolShaped("node-1", null, 5);

    byte[] wire = ProtocolMessages.encode(message);

    assertThat(new String(wire, StandardCharsets.UTF_8))
        .isEqualTo("{\"node_id\":\"node-1\",\"amount\":5}");
  }

  private static void assertRefused(BiFunction<byte[], Class<Sample>, Sample> decode, String json) {
    assertThatThrownBy(() -> decode.apply(json.getBytes(StandardCharsets.UTF_8), Sample.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed Sample");
  }
}
