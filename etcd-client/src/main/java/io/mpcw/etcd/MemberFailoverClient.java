package io.mpcw.etcd;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Cluster;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.Watch;
import java.util.List;

/**
 * A {@link Client} over several etcd members, one jetcd client per member. KV calls, the only ones
 * the services make, go through {@link MemberFailoverKv}; the other clients (operator tools and
 * tests: auth, maintenance, ...) are those of the member the KV client currently uses.
 */
final class MemberFailoverClient implements Client {
  private final List<Client> members;
  private final MemberFailoverKv kv;

  MemberFailoverClient(List<Client> members, EtcdFailover failover, int first) {
    this.members = List.copyOf(members);
    this.kv =
        new MemberFailoverKv(members.stream().map(Client::getKVClient).toList(), failover, first);
  }

  private Client current() {
    return members.get(kv.current());
  }

  @Override
  public KV getKVClient() {
    return kv;
  }

  @Override
  public Auth getAuthClient() {
    return current().getAuthClient();
  }

  @Override
  public Cluster getClusterClient() {
    return current().getClusterClient();
  }

  @Override
  public Maintenance getMaintenanceClient() {
    return current().getMaintenanceClient();
  }

  @Override
  public Lease getLeaseClient() {
    return current().getLeaseClient();
  }

  @Override
  public Watch getWatchClient() {
    return current().getWatchClient();
  }

  @Override
  public Lock getLockClient() {
    return current().getLockClient();
  }

  @Override
  public Election getElectionClient() {
    return current().getElectionClient();
  }

  @Override
  public void close() {
    members.forEach(Client::close);
  }
}
