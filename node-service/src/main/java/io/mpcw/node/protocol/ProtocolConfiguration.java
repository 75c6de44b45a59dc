package io.mpcw.node.protocol;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.node.quic.VoteServerProperties;
import io.mpcw.node.session.InFlightSessions;
import io.mpcw.node.share.EncryptedShareStore;
import io.mpcw.node.vote.VoteHandler;
import io.mpcw.protocol.dkg.DkgPart1Request;
import io.mpcw.protocol.dkg.DkgPart1Response;
import io.mpcw.protocol.dkg.DkgPart2Request;
import io.mpcw.protocol.dkg.DkgPart2Response;
import io.mpcw.protocol.dkg.DkgPart3Request;
import io.mpcw.protocol.dkg.DkgPart3Response;
import io.mpcw.protocol.dkg.DkgParticipant;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshAbortRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshCommitRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteResponse;
import io.mpcw.protocol.lifecycle.RefreshParticipant;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairRecoverRequest;
import io.mpcw.protocol.lifecycle.RepairParticipant;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareAbortRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareCommitRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealResponse;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareReceiveRequest;
import io.mpcw.protocol.lifecycle.ReshareParticipant;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.protocol.signing.SignPooledShareBatchRequest;
import io.mpcw.protocol.signing.SignPooledShareBatchResponse;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.protocol.signing.SignPrecommitRequest;
import io.mpcw.protocol.signing.SignPrecommitResponse;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.protocol.signing.SigningParticipant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** The handler the QUIC server calls: votes, DKG and signing, on their own worker pools. */
@Configuration(proxyBeanMethods = false)
class ProtocolConfiguration {

  @Bean(destroyMethod = "shutdown")
  ThreadPoolExecutor protocolWorkers(ProtocolServerProperties properties) {
    return new ThreadPoolExecutor(
        properties.workers(),
        properties.workers(),
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(properties.queueCapacity()),
        new CustomizableThreadFactory("mpcw-protocol-"));
  }

  @Bean
  ProtocolMetrics protocolMetrics(
      MeterRegistry meters, SigningParticipant signing, EncryptedShareStore shares) {
    return new ProtocolMetrics(meters, signing::liveSessions, shares::size);
  }

  @Bean
  ProtocolRouter protocolRouter(
      VoteHandler votes,
      DkgParticipant dkg,
      SigningParticipant signing,
      RefreshParticipant lifecycle,
      RepairParticipant repair,
      ReshareParticipant reshare,
      VoteServerProperties server,
      ThreadPoolExecutor protocolWorkers,
      ProtocolMetrics metrics,
      InFlightSessions sessions) {
    return new ProtocolRouter(
        votes,
        routes(dkg, signing, new PooledShareBatches(signing, metrics), lifecycle, repair, reshare),
        server.orchestratorIdentity(),
        protocolWorkers,
        metrics,
        sessions);
  }

  static List<Route<?, ?>> routes(
      DkgParticipant dkg,
      SigningParticipant signing,
      PooledShareBatches batches,
      RefreshParticipant lifecycle,
      RepairParticipant repair,
      ReshareParticipant reshare) {
    return List.of(
        new Route<>(
            ReshareDealRequest.TYPE,
            Route.Family.LIFECYCLE,
            "reshare-deal",
            ReshareDealRequest.class,
            ReshareDealResponse.TYPE,
            reshare::deal),
        new Route<>(
            ReshareReceiveRequest.TYPE,
            Route.Family.LIFECYCLE,
            "reshare-receive",
            ReshareReceiveRequest.class,
            RefreshPart2Response.TYPE,
            reshare::receive),
        new Route<>(
            ReshareCommitRequest.TYPE,
            Route.Family.LIFECYCLE,
            "reshare-commit",
            ReshareCommitRequest.class,
            EpochResponse.TYPE,
            reshare::commit),
        new Route<>(
            ReshareAbortRequest.TYPE,
            Route.Family.LIFECYCLE,
            "reshare-abort",
            ReshareAbortRequest.class,
            EpochResponse.TYPE,
            reshare::abort),
        new Route<>(
            RepairPart1Request.TYPE,
            Route.Family.LIFECYCLE,
            "repair-part1",
            RepairPart1Request.class,
            RepairPart1Response.TYPE,
            repair::part1),
        new Route<>(
            RepairPart2Request.TYPE,
            Route.Family.LIFECYCLE,
            "repair-part2",
            RepairPart2Request.class,
            RepairPart2Response.TYPE,
            repair::part2),
        new Route<>(
            RepairRecoverRequest.TYPE,
            Route.Family.LIFECYCLE,
            "repair-recover",
            RepairRecoverRequest.class,
            EpochResponse.TYPE,
            repair::recover),
        new Route<>(
            VoteRequest.TYPE,
            Route.Family.LIFECYCLE,
            "vote",
            VoteRequest.class,
            VoteResponse.TYPE,
            lifecycle::vote),
        new Route<>(
            RefreshPart1Request.TYPE,
            Route.Family.LIFECYCLE,
            "refresh-part1",
            RefreshPart1Request.class,
            RefreshPart1Response.TYPE,
            lifecycle::part1),
        new Route<>(
            RefreshPart2Request.TYPE,
            Route.Family.LIFECYCLE,
            "refresh-part2",
            RefreshPart2Request.class,
            RefreshPart2Response.TYPE,
            lifecycle::part2),
        new Route<>(
            RefreshCommitRequest.TYPE,
            Route.Family.LIFECYCLE,
            "refresh-commit",
            RefreshCommitRequest.class,
            EpochResponse.TYPE,
            lifecycle::commit),
        new Route<>(
            RefreshAbortRequest.TYPE,
            Route.Family.LIFECYCLE,
            "refresh-abort",
            RefreshAbortRequest.class,
            EpochResponse.TYPE,
            lifecycle::abort),
        new Route<>(
            DkgPart1Request.TYPE,
            Route.Family.DKG,
            "part1",
            DkgPart1Request.class,
            DkgPart1Response.TYPE,
            dkg::part1),
        new Route<>(
            DkgPart2Request.TYPE,
            Route.Family.DKG,
            "part2",
            DkgPart2Request.class,
            DkgPart2Response.TYPE,
            dkg::part2),
        new Route<>(
            DkgPart3Request.TYPE,
            Route.Family.DKG,
            "part3",
            DkgPart3Request.class,
            DkgPart3Response.TYPE,
            dkg::part3),
        new Route<>(
            SignCommitRequest.TYPE,
            Route.Family.SIGNING,
            "commit",
            SignCommitRequest.class,
            SignCommitResponse.TYPE,
            signing::commit),
        new Route<>(
            SignShareRequest.TYPE,
            Route.Family.SIGNING,
            "share",
            SignShareRequest.class,
            SignShareResponse.TYPE,
            signing::share),
        new Route<>(
            SignPrecommitRequest.TYPE,
            Route.Family.SIGNING,
            "precommit",
            SignPrecommitRequest.class,
            SignPrecommitResponse.TYPE,
            signing::precommit),
        new Route<>(
            SignPooledShareRequest.TYPE,
            Route.Family.SIGNING,
            "share",
            SignPooledShareRequest.class,
            SignPooledShareResponse.TYPE,
            signing::sharePooled),
        new Route<>(
            SignPooledShareBatchRequest.TYPE,
            Route.Family.SIGNING,
            "share-batch",
            SignPooledShareBatchRequest.class,
            SignPooledShareBatchResponse.TYPE,
            batches::serve));
  }
}
