package io.mpcw.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtcdCountersTest {
  private static final String PAGE =
      """
      # HELP grpc_server_handled_total Total number of RPCs completed on the server.
      # TYPE grpc_server_handled_total counter
      grpc_server_handled_total{grpc_code="OK",grpc_method="Txn",grpc_service="etcdserverpb.KV",grpc_type="unary"} 4980
      grpc_server_handled_total{grpc_code="Unavailable",grpc_method="Txn",grpc_service="etcdserverpb.KV",grpc_type="unary"} 20
      grpc_server_handled_total{grpc_code="OK",grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"} 7
      grpc_server_handled_total{grpc_code="OK",grpc_method="LeaseKeepAlive",grpc_service="etcdserverpb.Lease",grpc_type="bidi_stream"} 99
      etcd_server_proposals_committed_total 3600
      etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 100
      etcd_disk_wal_fsync_duration_seconds_sum 12.5
      etcd_disk_wal_fsync_duration_seconds_count 2.5e+03
      """;

  @Test
  void sumsEverySampleOfAMetricWithTheLabelWhateverItsCode() {
    assertThat(EtcdCounters.sum(PAGE, "grpc_server_handled_total{", "grpc_method=\"Txn\""))
        .isEqualTo(5000);
    assertThat(EtcdCounters.sum(PAGE, "grpc_server_handled_total{", "grpc_method=\"Range\""))
        .isEqualTo(7);
    assertThat(EtcdCounters.sum(PAGE, "etcd_server_proposals_committed_total", "")).isEqualTo(3600);
    // the count, not the histogram's buckets
    assertThat(EtcdCounters.sum(PAGE, "etcd_disk_wal_fsync_duration_seconds_count", ""))
        .isEqualTo(2500);
    assertThat(EtcdCounters.sum(PAGE, "etcd_disk_wal_fsync_duration_seconds_sum", ""))
        .isEqualTo(12.5);
  }

  @Test
  void aRunIsTheDifferenceOfTwoSnapshotsDividedByTheAcceptedPayments() {
    EtcdCounters.Snapshot before = new EtcdCounters.Snapshot(1000, 10, 0, 800, 500, 2.0, 1);
    EtcdCounters.Snapshot after = new EtcdCounters.Snapshot(8280, 10, 0, 5320, 3790, 15.16, 1);

    assertThat(EtcdCounters.perPayment(after.minus(before), 1000))
        .isEqualTo(
            "etcd per accepted payment: 7.28 Txn, 0.00 Range, 0.00 Put requests; 4.52 Raft"
                + " proposals committed; 3.29 WAL fsyncs (1 member(s), summed)");
    assertThat(EtcdCounters.perPayment(after.minus(before), 0))
        .isEqualTo("etcd per accepted payment: no payment was accepted");
  }

  @Test
  void theRunsFsyncsAreReportedByTheirMeanDurationAndNoneIsSaidAsSuch() {
    EtcdCounters.Snapshot before = new EtcdCounters.Snapshot(0, 0, 0, 0, 500, 2.0, 1);
    EtcdCounters.Snapshot after = new EtcdCounters.Snapshot(0, 0, 0, 0, 3790, 15.16, 1);

    assertThat(EtcdCounters.fsyncs(after.minus(before)))
        .isEqualTo(
            "etcd WAL fsyncs: 4.00 ms on average over 3290 (every vote, decision and share record"
                + " waits for one)");
    assertThat(EtcdCounters.fsyncs(before.minus(before)))
        .isEqualTo("etcd WAL fsyncs: none in the run");
  }
}
