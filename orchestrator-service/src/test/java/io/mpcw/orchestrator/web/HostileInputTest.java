package io.mpcw.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.hostile.RawHttp;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The refusals a REST fuzzer found missing or wrong: each request here once got a 500, a
 * non-problem error page, or was accepted. Sent as raw bytes, so nothing is tidied up on the way.
 */
class HostileInputTest extends OrchestratorTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAYMENTS = "/api/v1/transactions";

  private RawHttp.Response send(String raw) throws Exception {
    return send(raw.getBytes(StandardCharsets.UTF_8));
  }

  private RawHttp.Response send(byte[] raw) throws Exception {
    return new RawHttp(port, Duration.ofSeconds(10)).send(raw).orElseThrow();
  }

  private static String post(String path, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + SUBMIT_KEY
        + "\r\n"
        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "Content-Length: "
        + bytes.length
        + "\r\nConnection: close\r\n\r\n"
        + body;
  }

  private static String get(String path) {
    return "GET "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + SUBMIT_KEY
        + "\r\nConnection: close\r\n\r\n";
  }

  private static String payment(String amount) {
    return "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + amount + "}";
  }

  private static JsonNode problem(RawHttp.Response response, int status) throws Exception {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("type").asText()).startsWith("urn:mpcw:problem:");
    assertThat(body.path("title").isTextual()).isTrue();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("detail").asText())
        .isNotBlank()
        .doesNotContain("Exception", "java.", "jackson", "Tomcat");
    return body;
  }

  private static String field(JsonNode problem) {
    return problem.path("errors").path(0).path("field").asText();
  }

  @Test
  void refusesAMultipartBodyWithoutBoundaryAs415() throws Exception {
    JsonNode body = problem(send(post(PAYMENTS, "multipart/form-data", payment("1000"))), 415);
    assertThat(body.path("type").asText()).isEqualTo("urn:mpcw:problem:unsupported-media-type");
  }

  @Test
  void refusesAMultipartBodyWithABadBoundaryAs415() throws Exception {
    problem(send(post(PAYMENTS, "multipart/form-data; boundary=", payment("1000"))), 415);
    problem(
        send(
            post(
                PAYMENTS,
                "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n")),
        415);
  }

  @Test
  void refusesFormPostsAndPlainTextAs415() throws Exception {
    problem(
        send(post(PAYMENTS, "application/x-www-form-urlencoded", "recipient=x&amount_sats=1")),
        415);
    problem(send(post(PAYMENTS, "text/plain", payment("1000"))), 415);
    problem(send(post(PAYMENTS, null, payment("1000"))), 415);
  }

  @Test
  void refusesANulCharacterInMetadataNamingTheField() throws Exception {
    JsonNode body =
        problem(
            send(
                post(
                    PAYMENTS,
                    "application/json",
                    "{\"recipient\":\""
                        + ADDRESS
                        + "\",\"amount_sats\":1000,\"metadata\":{\"note\":\"a\\u0000b\"}}")),
            400);
    assertThat(field(body)).isEqualTo("metadata.note");
    assertThat(count("transactions")).isZero();
  }

  @Test
  void refusesANulCharacterInAMetadataKey() throws Exception {
    JsonNode body =
        problem(
            send(
                post(
                    PAYMENTS,
                    "application/json",
                    "{\"recipient\":\""
                        + ADDRESS
                        + "\",\"amount_sats\":1000,"
                        + "\"metadata\":{\"a\\u0000\":1}}")),
            400);
    assertThat(field(body)).isEqualTo("metadata");
  }

  @Test
  void refusesANulCharacterInATextFieldNamingIt() throws Exception {
    JsonNode body =
        problem(
            send(
                post(
                    PAYMENTS,
                    "application/json",
                    "{\"recipient\":\"" + ADDRESS + "\\u0000\",\"amount_sats\":1000}")),
            400);
    assertThat(field(body)).isEqualTo("recipient");
  }

  @Test
  void refusesALoneSurrogateInMetadata() throws Exception {
    JsonNode body =
        problem(
            send(
                post(
                    PAYMENTS,
                    "application/json",
                    "{\"recipient\":\""
                        + ADDRESS
                        + "\",\"amount_sats\":1000,"
                        + "\"metadata\":{\"x\":\"\\ud800\"}}")),
            400);
    assertThat(field(body)).isEqualTo("metadata.x");
  }

  @Test
  void refusesAJsonArrayOrScalarAsTheBody() throws Exception {
    JsonNode array =
        problem(send(post(PAYMENTS, "application/json", "[" + payment("1000") + "]")), 400);
    assertThat(array.path("type").asText()).isEqualTo("urn:mpcw:problem:malformed-request");
    problem(send(post(PAYMENTS, "application/json", "42")), 400);
    problem(send(post(PAYMENTS, "application/json", "\"text\"")), 400);
    problem(send(post("/api/v1/wallets", "application/json", "[]")), 400);
  }

  @Test
  void refusesTrailingGarbageAfterTheDocument() throws Exception {
    problem(send(post(PAYMENTS, "application/json", payment("1000") + "x")), 400);
    problem(send(post(PAYMENTS, "application/json", payment("1000") + "{}")), 400);
    assertThat(count("transactions")).isZero();
  }

  @Test
  void refusesANumberGivenAsAString() throws Exception {
    assertThat(field(problem(send(post(PAYMENTS, "application/json", payment("\"1000\""))), 400)))
        .isEqualTo("amount_sats");
    JsonNode fee =
        problem(
            send(
                post(
                    PAYMENTS,
                    "application/json",
                    "{\"recipient\":\""
                        + ADDRESS
                        + "\",\"amount_sats\":1000,"
                        + "\"fee_rate_sat_vb\":\"2\"}")),
            400);
    assertThat(field(fee)).isEqualTo("fee_rate_sat_vb");
    assertThat(count("transactions")).isZero();
  }

  @Test
  void refusesAStringGivenAsANumberOrBoolean() throws Exception {
    JsonNode body =
        problem(
            send(post(PAYMENTS, "application/json", "{\"recipient\":123,\"amount_sats\":1000}")),
            400);
    assertThat(field(body)).isEqualTo("recipient");
    JsonNode wallet =
        problem(
            send(post("/api/v1/wallets", "application/json", "{\"name\":true,\"threshold\":2}")),
            400);
    assertThat(field(wallet)).isEqualTo("name");
  }

  @Test
  void refusesADuplicateField() throws Exception {
    problem(
        send(
            post(
                PAYMENTS,
                "application/json",
                "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":1000,\"amount_sats\":2000}")),
        400);
  }

  @Test
  void refusesABodyAbove64KibAs413() throws Exception {
    String big = "{\"recipient\":\"" + "x".repeat(70_000) + "\",\"amount_sats\":1000}";
    JsonNode body = problem(send(post(PAYMENTS, "application/json", big)), 413);
    assertThat(body.path("type").asText()).isEqualTo("urn:mpcw:problem:payload-too-large");
  }

  @Test
  void refusesAChunkedBodyAbove64KibAs413() throws Exception {
    byte[] chunk = "x".repeat(8000).getBytes(StandardCharsets.UTF_8);
    StringBuilder raw =
        new StringBuilder(
            "POST "
                + PAYMENTS
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + SUBMIT_KEY
                + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "d\r\n{\"metadata\":\"\r\n");
    for (int i = 0; i < 10; i++) {
      raw.append(Integer.toHexString(chunk.length)).append("\r\n");
      raw.append(new String(chunk, StandardCharsets.UTF_8)).append("\r\n");
    }
    raw.append("0\r\n\r\n");
    problem(send(raw.toString()), 413);
  }

  @Test
  void refusesMetadataAbove4KibBeforeReadingItWhole() throws Exception {
    String body =
        "{\"recipient\":\""
            + ADDRESS
            + "\",\"amount_sats\":1000,\"metadata\":{\"blob\":\""
            + "m".repeat(5000)
            + "\"}}";
    assertThat(field(problem(send(post(PAYMENTS, "application/json", body)), 400)))
        .isEqualTo("metadata");
  }

  @Test
  void answersAnEmptyIdSegmentWithProblemJson() throws Exception {
    problem(send(post(PAYMENTS + "//cancel", "application/json", "{}")), 400);
  }

  @Test
  void answersAnEncodedSlashInThePathWithProblemJson() throws Exception {
    problem(send(get(PAYMENTS + "/%2F")), 400);
    problem(send(post(PAYMENTS + "/a%2Fb/cancel", "application/json", "{}")), 400);
  }

  @Test
  void answersIdsThatAreNotUuidsWithAValidationProblem() throws Exception {
    assertThat(field(problem(send(get(PAYMENTS + "/not-a-uuid")), 400))).isEqualTo("id");
    problem(send(get(PAYMENTS + "/;x=1")), 400);
    problem(send(get(PAYMENTS + "/%00")), 400);
  }

  @Test
  void answersABrokenRequestLineWithProblemJson() throws Exception {
    problem(send("GET /api/v1/tr\u0001ansactions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400);
    problem(send("GET /%%%% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400);
  }

  @Test
  void refusesTraceWithProblemJsonWithoutEchoingTheRequest() throws Exception {
    RawHttp.Response response = send(get(PAYMENTS).replaceFirst("GET", "TRACE"));
    problem(response, 405);
    assertThat(response.body()).doesNotContain(SUBMIT_KEY);
  }

  @Test
  void refusesAnUndecodableQueryParameter() throws Exception {
    problem(send(get(PAYMENTS + "?limit=%")), 400);
  }

  @Test
  void refusesAnUnknownHttpVersionOrTransferCodingWithA400() throws Exception {
    problem(send("GET " + PAYMENTS + " HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n"), 400);
    problem(
        send(
            "POST "
                + PAYMENTS
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}"),
        400);
  }

  @Test
  void answersTheErrorPathItselfWithProblemJson() throws Exception {
    problem(send(get("/error")), 404);
  }
}
