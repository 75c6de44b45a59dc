-- A payment the API stores as its replica's pending-stage claim (that replica starts the stage
-- itself) wakes no engine, as a state change that takes the new state's claim (V16) does not: the
-- work is claimed, and a woken engine would only look for it in vain. Once that claim's lease
-- expires the engines' polls find it, as any lapsed claim.
DROP TRIGGER transactions_notify_insert ON transactions;
CREATE TRIGGER transactions_notify_insert
    AFTER INSERT ON transactions
    FOR EACH ROW
    WHEN (NEW.lease_owner IS NULL)
    EXECUTE FUNCTION notify_work();
