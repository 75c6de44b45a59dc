package io.mpcw.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.launcher.cluster.PaymentHistory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void timePerStageComesFromConsecutiveHistoryRows() throws Exception {
    JsonNode history =
        json(
            "[{'to':'pending','at':'2026-11-23T10:00:00Z'},"
                + "{'to':'voting','at':'2026-11-23T10:00:00.250Z'},"
                + "{'to':'approved','at':'2026-11-23T10:00:01Z'},"
                + "{'to':'signing','at':'2026-11-23T10:00:01.100Z'}]");

    assertThat(PaymentHistory.secondsPerState(history))
        .containsExactly(
            Map.entry("pending", 0.25), Map.entry("voting", 0.75), Map.entry("approved", 0.1));
  }

  @Test
  void theTableShowsVotesSignersTxidAndWhyAPaymentDidNotConfirm() throws Exception {
    Map<String, Long> submitted = new LinkedHashMap<>();
    submitted.put("a", 42_000L);
    submitted.put("b", 150_000_000L);
    Map<String, JsonNode> last = new LinkedHashMap<>();
    last.put(
        "a",
        json(
            "{'state':'confirmed','voting':{'approvals':5,'threshold':4},"
                + "'signing':{'signers':['node-1','node-3','node-4']},"
                + "'chain':{'txid':'35c399f67cdd5d2832fb34cada51962552879a46d9c096830c89ff221628180f'},"
                + "'history':[{'to':'pending','at':'2026-11-23T10:00:00Z'},"
                + "{'to':'voting','at':'2026-11-23T10:00:01Z'},"
                + "{'to':'confirmed','at':'2026-11-23T10:00:03Z'}]}"));
    last.put(
        "b",
        json(
            "{'state':'rejected','state_reason':'approval impossible: 5 rejections',"
                + "'voting':{'approvals':0,'threshold':4},'signing':{'signers':[]},"
                + "'chain':{'txid':null},'history':[]}"));

    String table = DemoCommand.summary(submitted, last);

    assertThat(table.lines().toList()).hasSize(4);
    assertThat(table)
        .contains("confirmed")
        .contains("5/4")
        .contains("nodes 1,3,4")
        .contains("35c399f67c…")
        .contains("1.00s")
        .contains("2.00s")
        .contains("3.00s")
        .contains("rejected")
        .contains("approval impossible: 5 rejections");
  }
}
