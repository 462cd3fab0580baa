using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>
/// A process that configures no real cloud never loads a cloud SDK: the adapters' types are reached only when their
/// cloud is enabled. Finding the entity configurations and the migrations by scanning Provisioner.Core's types used to
/// load AWSSDK.EC2, the Azure SDK and their dependencies into the API and every worker (about 6 MB mapped and their
/// types' runtime data); EntityConfigurations and MigrationsNamespace list them without that.
/// </summary>
public sealed class UnconfiguredCloudSdkTests(ProvisionerStack stack) : IClassFixture<ProvisionerStack>
{
    private static readonly string[] CloudSdks =
        ["AWSSDK.Core.dll", "AWSSDK.EC2.dll", "Azure.Core.dll", "Azure.ResourceManager.dll", "Azure.ResourceManager.Compute.dll", "System.ClientModel.dll"];

    [Fact]
    public async Task ApiAndWorker_AfterALifecycleOnTheSimulatedCloud_HaveLoadedNoCloudSdk()
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1"));
        post.EnsureSuccessStatusCode();
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));
        (await stack.Client.DeleteAsync($"/api/instances/{id}")).EnsureSuccessStatusCode();
        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, TimeSpan.FromSeconds(60));

        foreach (var process in new[] { stack.Api }.Concat(stack.Workers))
        {
            // The readiness check is where EF listed the migrations; run it again after the work.
            using var client = process.CreateClient();
            (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();

            var loaded = LoadedFiles(process.Pid);
            loaded.Should().Contain("Provisioner.Core.dll", "the process's own mappings were read ({0})", process.Name);
            loaded.Should().NotContain(CloudSdks, "{0} configures only the simulated cloud", process.Name);
        }
    }

    /// <summary>The file names a process has mapped (its loaded assemblies among them), from /proc.</summary>
    private static HashSet<string> LoadedFiles(int pid) =>
        File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 5)
            .Select(fields => Path.GetFileName(fields[5]))
            .ToHashSet(StringComparer.Ordinal);
}
