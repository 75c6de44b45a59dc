-- A state change that takes the new state's claim at once (the engine that moved the payment starts
-- the next stage itself) wakes no engine: the work is claimed, and a woken engine would only look
-- for it in vain. Once that claim's lease expires the engines' polls find it, as any lapsed claim.
DROP TRIGGER transactions_notify_state ON transactions;
CREATE TRIGGER transactions_notify_state
    AFTER UPDATE OF state ON transactions
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
          AND NEW.state IN ('pending', 'voting', 'approved', 'signing', 'signed', 'broadcasting')
          AND NEW.lease_owner IS NULL)
    EXECUTE FUNCTION notify_work();
