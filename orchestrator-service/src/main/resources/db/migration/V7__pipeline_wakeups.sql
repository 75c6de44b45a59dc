-- When a stage first claimed the transaction in its current state: stage timeouts count from here,
-- so time spent queued behind other work never fails a payment. Cleared by every state change.
ALTER TABLE transactions ADD COLUMN stage_started_at timestamptz;

-- Every committed entry into a state that has a stage wakes the engines of every replica
-- (LISTEN mpcw_work). NOTIFY is delivered at commit and only then, and PostgreSQL folds identical
-- notifications of one transaction into one. Polling stays the safety net for a lost one.
CREATE FUNCTION notify_work() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('mpcw_work', NEW.state);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER transactions_notify_insert
    AFTER INSERT ON transactions
    FOR EACH ROW EXECUTE FUNCTION notify_work();
CREATE TRIGGER transactions_notify_state
    AFTER UPDATE OF state ON transactions
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
          AND NEW.state IN ('pending', 'voting', 'approved', 'signing', 'signed', 'broadcasting'))
    EXECUTE FUNCTION notify_work();
