namespace Provisioner.Core.Jobs;

/// <summary>
/// Which attempt of a step this is, counted in the outbox (never by the job engine). On the last one a step
/// must not ask for a retry: it settles the instance or schedules a later look itself.
/// </summary>
public readonly record struct WorkAttempt(int Number, int Allowed)
{
    public static WorkAttempt First(int allowed) => new(1, allowed);

    public bool IsLast => Number >= Allowed;
}
