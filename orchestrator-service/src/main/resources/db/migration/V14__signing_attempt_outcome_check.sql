-- Issue 16: signing_attempts.outcome is SigningOutcome's wire name; the other state columns already
-- had their CHECK, this one held any text. Every outcome ever written is among these.
ALTER TABLE signing_attempts ADD CONSTRAINT signing_attempts_outcome_check
    CHECK (outcome IN ('ok', 'unreachable', 'culprit', 'refused', 'invalid', 'superseded'));
