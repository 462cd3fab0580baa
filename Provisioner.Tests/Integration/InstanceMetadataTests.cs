using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// The instance's <c>metadata</c> is what the cloud that serves it reported (here the simulated cloud standing in for
/// Azure): empty in the 202, filled once launched, and the same on GET and in the list.
/// </summary>
public sealed class InstanceMetadataTests(ProvisionerStack stack) : IClassFixture<ProvisionerStack>
{
    [Fact]
    public async Task Launched_Metadata_IsWhatTheCloudReported_OnGetAndList()
    {
        var user = InstanceRequestBuilder.UniqueUser();
        using var created = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(user));
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["instance"]!;
        accepted["metadata"]!.AsObject().Should().BeEmpty("nothing is launched yet");
        var id = Guid.Parse(accepted["id"]!.GetValue<string>());

        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromMinutes(2));

        var read = JsonNode.Parse(await stack.Client.GetStringAsync($"/api/instances/{id}"))!["instance"]!["metadata"]!;
        read["region"]!.GetValue<string>().Should().Be("eastus");
        read["instanceType"]!.GetValue<string>().Should().Be("Standard_NC6");
        read["machineSeq"].Should().NotBeNull();
        var listed = JsonNode.Parse(await stack.Client.GetStringAsync($"/api/instances?userId={user}"))!["instances"]![0]!["metadata"]!;
        listed.ToJsonString().Should().Be(read.ToJsonString());
    }
}
