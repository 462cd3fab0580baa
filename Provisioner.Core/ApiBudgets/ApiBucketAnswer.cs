namespace Provisioner.Core.ApiBudgets;

/// <summary>
/// A bucket's answer to one call. Taken: the call may go after <see cref="Wait"/> (zero when a token was there; else the
/// call holds a token that refills by then). Not taken: no token within the wait allowed; one may be there after
/// <see cref="Wait"/>.
/// </summary>
public readonly record struct ApiBucketAnswer(bool Taken, TimeSpan Wait);
