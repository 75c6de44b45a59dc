package io.mpcw.node.quic;

import io.mpcw.transport.TransportSettings;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What one connected peer may hold on this node's QUIC server ({@code mpcw.node.quic-server.*}).
 * Every caller has a cluster certificate, but a compromised or buggy one must cost the node bounded
 * time, memory and connections; refusals are counted in {@code transport_frames_refused_total} and
 * {@code transport_connections_refused_total}.
 *
 * @param requestArrivalTimeout time a stream's request (frame and FIN) may take to arrive
 * @param maxBufferedPerConnection request bytes held for one connection's unfinished streams
 * @param maxStreamsPerConnection concurrent streams one connection may open (QUIC stream credit)
 * @param maxConnectionsPerPeer connections one peer identity (certificate CN) may hold open
 */
@Validated
@ConfigurationProperties("mpcw.node.quic-server")
public record QuicServerProperties(
    @DefaultValue("5s") Duration requestArrivalTimeout,
    @DefaultValue("4MB") DataSize maxBufferedPerConnection,
    @DefaultValue("1024") @Min(1) int maxStreamsPerConnection,
    @DefaultValue("8") @Min(1) int maxConnectionsPerPeer) {

  /** The transport's defaults with these limits. */
  public TransportSettings transportSettings() {
    return TransportSettings.defaults()
        .withRequestArrivalTimeout(requestArrivalTimeout)
        .withMaxBufferedBytesPerConnection(maxBufferedPerConnection.toBytes())
        .withMaxServerStreams(maxStreamsPerConnection)
        .withMaxConnectionsPerPeer(maxConnectionsPerPeer);
  }
}
