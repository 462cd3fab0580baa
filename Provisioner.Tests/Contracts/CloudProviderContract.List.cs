using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

public abstract partial class CloudProviderContract
{
    [Fact]
    public async Task ListOwned_PageByPage_ReturnsThisClustersLiveMachinesOnly()
    {
        var sut = Provider("blue", pageSize: 5);
        var ours = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ours.Add((await sut.LaunchAsync(Spec(), CancellationToken.None)).CloudInstanceId);
        }

        await Provider("green").LaunchAsync(Spec(), CancellationToken.None);
        await sut.TerminateAsync(Region, ours[0], CancellationToken.None);
        await PassAsync(ShutdownTime);

        var pages = await ListPagesAsync(sut);

        pages.SelectMany(p => p.Machines).Select(m => m.CloudInstanceId).Should().BeEquivalentTo(ours.Skip(1), "ours, live, each once");
        pages.Should().HaveCountGreaterThan(1, "six machines at five a page take more than one page");
        pages.Should().OnlyContain(p => p.Machines.Count <= 5);
    }

    protected static async Task<List<CloudMachinePage>> ListPagesAsync(ICloudProvider sut)
    {
        var pages = new List<CloudMachinePage>();
        string? token = null;
        do
        {
            var page = await sut.ListOwnedAsync(token, CancellationToken.None);
            pages.Add(page);
            token = page.NextPageToken;
            pages.Should().HaveCountLessThan(100, "a listing ends");
        }
        while (token is not null);

        return pages;
    }

    protected static async Task<List<CloudMachine>> ListAllAsync(ICloudProvider sut) =>
        [.. (await ListPagesAsync(sut)).SelectMany(p => p.Machines)];
}
