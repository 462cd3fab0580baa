using Provisioner.Core.Providers;

namespace Provisioner.Core.Hosting;

/// <summary>
/// Which circuit rows count as open, for <c>/health/ready</c> and the console alike (they disagreed: the console
/// counted only <c>OPEN</c>, while a half-open circuit is not closed either): any state but closed, except rows long
/// past their trial time, whose worker has gone.
/// </summary>
public static class OpenCircuits
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    public static IQueryable<ProviderCircuit> Of(IQueryable<ProviderCircuit> circuits, DateTimeOffset now)
    {
        var notBefore = now - StaleAfter;
        return circuits.Where(c => c.State != ProviderCircuit.Closed && (c.OpenUntil == null || c.OpenUntil > notBefore));
    }
}
