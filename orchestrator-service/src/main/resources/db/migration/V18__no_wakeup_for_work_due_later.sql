-- A move whose stage is due only later (a broadcast payment waits for the block that includes it,
-- and the chain follower wakes it) tells no engine: a wake-up would find nothing due to claim.
DROP TRIGGER transactions_notify_state ON transactions;
CREATE TRIGGER transactions_notify_state
    AFTER UPDATE OF state ON transactions
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
          AND NEW.state IN ('pending', 'voting', 'approved', 'signing', 'signed', 'broadcasting')
          AND NEW.lease_owner IS NULL
          AND NEW.next_attempt_at <= now())
    EXECUTE FUNCTION notify_work();
