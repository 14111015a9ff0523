namespace TaskManagement.Eventing.Outbox;

/// <summary>What one relay round did: rows claimed, published, failed, and held back to keep per-subject order.</summary>
public sealed record RelayRound(int Claimed, int Published, int Failed, int HeldBack);
