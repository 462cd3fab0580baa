using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>
/// Every page of a cloud's listing of our machines (one filtered, paged list per region where the cloud has regions),
/// each page under its own timeout: a large account is many short calls, never one long one. Shared by reconciliation
/// and the machine watch.
/// </summary>
internal static class OwnedMachineListing
{
    /// <returns>The machines, and the regions the cloud could not list in full (nothing is concluded about those).</returns>
    /// <exception cref="CloudProviderException">The listing as a whole failed (a page past its timeout, too many pages, a refused call).</exception>
    public static async Task<(List<CloudMachine> Machines, List<UnreadRegion> Unread)> ListAsync(
        ICloudProvider provider, ReconciliationOptions settings, CancellationToken cancellationToken)
    {
        var machines = new List<CloudMachine>();
        var unread = new List<UnreadRegion>();
        string? token = null;
        var pages = 0;
        do
        {
            if (++pages > settings.MaxPages)
            {
                throw new CloudProviderException(CloudErrorKind.Transient, provider.Name, "TooManyPages",
                    $"the listing did not end within {settings.MaxPages} pages");
            }

            using var page = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            page.CancelAfter(settings.ListPageTimeout);
            CloudMachinePage answer;
            try
            {
                answer = await provider.ListOwnedAsync(token, page.Token);
            }
            catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CloudProviderException(CloudErrorKind.Transient, provider.Name, "ListPageTimeout",
                    $"page {pages} of the listing took longer than {settings.ListPageTimeout.TotalSeconds:0.#} s", inner: timeout);
            }

            machines.AddRange(answer.Machines);
            unread.AddRange(answer.Unread ?? []);
            token = answer.NextPageToken;
        }
        while (token is not null);

        return (machines, unread);
    }
}
