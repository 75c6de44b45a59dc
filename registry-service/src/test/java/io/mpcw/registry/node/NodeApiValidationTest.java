package io.mpcw.registry.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.registry.RegistryIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeApiValidationTest extends RegistryIntegrationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "node_id missing      | {'quic_address':'127.0.0.1:7101','management_url':'http://h:1','version':'1'} | node_id",
        "node_id upper case   | {'node_id':'Node-1','quic_address':'h:1','management_url':'http://h:1','version':'1'} | node_id",
        "node_id leading dash | {'node_id':'-n','quic_address':'h:1','management_url':'http://h:1','version':'1'} | node_id",
        "node_id too long     | {'node_id':'a123456789012345678901234567890123456789012345678901234567890123','quic_address':'h:1','management_url':'http://h:1','version':'1'} | node_id",
        "node_id not a string | {'node_id':7,'quic_address':'h:1','management_url':'http://h:1','version':'1'} | node_id",
        "quic without port    | {'node_id':'node-1','quic_address':'127.0.0.1','management_url':'http://h:1','version':'1'} | quic_address",
        "quic port too big    | {'node_id':'node-1','quic_address':'h:70000','management_url':'http://h:1','version':'1'} | quic_address",
        "quic port zero       | {'node_id':'node-1','quic_address':'h:0','management_url':'http://h:1','version':'1'} | quic_address",
        "url not http         | {'node_id':'node-1','quic_address':'h:1','management_url':'ftp://h/','version':'1'} | management_url",
        "url relative         | {'node_id':'node-1','quic_address':'h:1','management_url':'/actuator','version':'1'} | management_url",
        "version missing      | {'node_id':'node-1','quic_address':'h:1','management_url':'http://h:1'} | version",
        "version with spaces  | {'node_id':'node-1','quic_address':'h:1','management_url':'http://h:1','version':'1 2'} | version",
        "unknown field        | {'node_id':'node-1','quic_address':'h:1','management_url':'http://h:1','version':'1','role':'admin'} | role",
      })
  void badRegistrationIs400NamingTheFieldAndStoresNothing(
      String caseName, String body, String field) {
    Response response = send("POST", "/api/v1/cluster/nodes", body.replace('\'', '"'));

    assertValidationProblem(response, field);
    assertThat(storedNodes()).isZero();
  }

  /**
   * A service identity holds a certificate of the cluster CA, and CN == node_id, so only the id
   * itself tells it from a node: registered, it would be offered to the nodes as a voter and a DKG
   * participant.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "orchestrator",
    "registry",
    "orchestrator-2",
    "stranger",
    "node-",
    "node-1a",
  })
  void registrationUnderAServiceOrNonNodeIdentityIs400AndStoresNothing(String identity) {
    Response response = register(identity);

    assertValidationProblem(response, "node_id");
    assertThat(response.body().toString()).contains("node");
    assertThat(storedNodes()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cpu missing          | {'in_flight_sessions':0} | cpu_load",
        "cpu negative         | {'cpu_load':-0.1,'in_flight_sessions':0} | cpu_load",
        "cpu above 100        | {'cpu_load':100.5,'in_flight_sessions':0} | cpu_load",
        "cpu as string        | {'cpu_load':'50','in_flight_sessions':0} | cpu_load",
        "sessions missing     | {'cpu_load':5} | in_flight_sessions",
        "sessions negative    | {'cpu_load':5,'in_flight_sessions':-1} | in_flight_sessions",
        "sessions fractional  | {'cpu_load':5,'in_flight_sessions':1.5} | in_flight_sessions",
        "quic address invalid | {'cpu_load':5,'in_flight_sessions':0,'quic_address':'nope'} | quic_address",
        "unknown field        | {'cpu_load':5,'in_flight_sessions':0,'memory':1} | memory",
      })
  void badHeartbeatIs400NamingTheFieldAndChangesNothing(
      String caseName, String body, String field) {
    register("node-1");

    Response response =
        send("PUT", "/api/v1/cluster/nodes/node-1/heartbeat", body.replace('\'', '"'));

    assertValidationProblem(response, field);
    assertThat(list().body().at("/nodes/0/cpu_load").asDouble()).isZero();
    assertThat(list().body().at("/nodes/0/quic_address").asText()).isEqualTo("127.0.0.1:7101");
  }

  @Test
  void invalidNodeIdInPathIs400() {
    assertValidationProblem(heartbeat("Bad_Id", 1, 0), "node_id");
    assertValidationProblem(send("DELETE", "/api/v1/cluster/nodes/Bad_Id", null), "node_id");
  }

  @Test
  void unknownStatusFilterIs400() {
    assertValidationProblem(send("GET", "/api/v1/cluster/nodes?status=zombie", null), "status");
  }

  @Test
  void malformedJsonIs400ProblemWithoutInternals() {
    Response response = send("POST", "/api/v1/cluster/nodes", "{\"node_id\":");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.body().get("type").asText())
        .isEqualTo("urn:mpcw:problem:malformed-request");
    assertThat(response.raw().body()).doesNotContain("Exception", "jackson", "at [Source");
    assertThat(storedNodes()).isZero();
  }

  @Test
  void missingBodyIs400Problem() {
    Response response =
        send("POST", "/api/v1/cluster/nodes", "", Map.of("Content-Type", "application/json"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body().get("type").asText())
        .isEqualTo("urn:mpcw:problem:malformed-request");
  }

  @Test
  void wrongContentTypeIs415Problem() {
    Response response =
        send(
            "POST",
            "/api/v1/cluster/nodes",
            registration("node-1", "h:1"),
            Map.of("Content-Type", "text/plain"));

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.body().get("type").asText())
        .isEqualTo("urn:mpcw:problem:unsupported-media-type");
    assertThat(storedNodes()).isZero();
  }

  @Test
  void unknownApiPathIs404Problem() {
    Response response = send("GET", "/api/v1/cluster/members", null);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.body().get("type").asText()).isEqualTo("urn:mpcw:problem:not-found");
  }

  @Test
  void unsupportedMethodIs405Problem() {
    Response response = send("PATCH", "/api/v1/cluster/nodes", "{}");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }

  private static void assertValidationProblem(Response response, String field) {
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.body().get("type").asText()).isEqualTo("urn:mpcw:problem:validation");
    assertThat(response.body().get("status").asInt()).isEqualTo(400);
    assertThat(response.body().get("errors").findValuesAsText("field")).contains(field);
    assertThat(response.raw().body()).doesNotContain("Exception", "\tat ");
  }
}
