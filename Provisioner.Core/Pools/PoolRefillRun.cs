namespace Provisioner.Core.Pools;

/// <summary>What one refill pass did to one pool.</summary>
public sealed record PoolRefillRun(string Pool, int Target, int Launched, int Warmed, int Released, string? Error = null);
