using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Hosting;

/// <summary>
/// Validates every setting before any other hosted service is even built. The host resolves all hosted services
/// before it runs its own <c>ValidateOnStart</c> checks, and some are built from settings (Hangfire's servers
/// refuse a <c>WorkerCount</c> of 0 with their own message that names no setting). Registered first, this one
/// is constructed first, so a wrong value fails here with our message naming the key.
/// </summary>
internal sealed class SettingsCheck : IHostedService
{
    public SettingsCheck(IStartupValidator validator) => validator.Validate();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
