using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;
using Provisioner.Api.Instances;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Azure;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Fakes.Arm;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>
/// The API and a worker with the Azure adapter enabled, pointed at the local ARM through configuration only: the
/// endpoint, and for the workers' real <c>DefaultAzureCredential</c> the managed identity endpoint the local ARM
/// serves (<c>IDENTITY_ENDPOINT</c>/<c>IDENTITY_HEADER</c>, as on App Service) and its certificate (<c>SSL_CERT_FILE</c>).
/// </summary>
public sealed class AzureStack : ProvisionerStack
{
    public LocalArm Arm { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Providers__Azure__Enabled"] = "true",
        ["Providers__Azure__SubscriptionId"] = LocalArm.SubscriptionId,
        ["Providers__Azure__ResourceGroup"] = LocalArm.ResourceGroup,
        ["Providers__Azure__Endpoint"] = Arm.Endpoint.ToString(),
        ["Providers__Azure__Subnets__eastus"] = LocalArm.SubnetId("eastus"),
        ["Providers__Azure__DefaultImage"] = AzureTestOptions.Image,
        ["Providers__Azure__SshPublicKey"] = LocalArm.SshPublicKey,
        ["IDENTITY_ENDPOINT"] = Arm.IdentityEndpoint.ToString(),
        ["IDENTITY_HEADER"] = LocalArm.IdentityHeader,
        ["SSL_CERT_FILE"] = Arm.CertificatePath,
        ["Lifecycle__ReconcileInterval"] = "00:00:01",
        ["Lifecycle__OrphanGracePeriod"] = "00:00:02",
        ["Lifecycle__NotFoundGracePeriod"] = "00:00:02",
        ["Lifecycle__CloudRetryInitialDelay"] = "00:00:00.200",
        ["Resilience__Defaults__RetryBaseDelay"] = "00:00:00.050",
    };

    public override async Task InitializeAsync()
    {
        Arm = await LocalArm.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Arm is not null)
        {
            await Arm.DisposeAsync();
        }
    }
}

/// <summary>
/// Through the API and a worker with <c>provider: AZURE</c>: create, ready, delete with the VM's dependents, a lost
/// create answer, an orphan, an allocation that fails after acceptance, a VM that vanishes, and each error class.
/// </summary>
public sealed class AzureEndToEndTests(AzureStack stack) : IClassFixture<AzureStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Azure_CreateReadyDelete_TheVmGoesWithItsNicIpAndDisk()
    {
        var id = await CreateAsync();

        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);
        ready.Backend.Should().Be("AZURE");
        ready.CloudInstanceId.Should().Be(LaunchTokens.For(id), "the VM is named from the instance id");
        ready.PublicIp.Should().StartWith("203.0.113.", "read from the public IP the VM made inline");
        var vm = stack.Arm.VirtualMachines.Single(v => v.Name == ready.CloudInstanceId);
        vm.Tags[OwnershipTags.Owner].Should().Be(ProvisionerStack.Tenant);
        vm.Tags["project"].Should().Be("medical-analysis");
        vm.Body["properties"]!["storageProfile"]!["osDisk"]!["diskSizeGB"]!.GetValue<int>().Should().Be(100);
        var dependents = stack.Arm.Dependents;
        dependents.Nics.Should().Contain(vm.NicName);
        dependents.PublicIps.Should().Contain(vm.PublicIpName);
        dependents.Disks.Should().Contain(vm.OsDiskName);

        (await stack.Client.DeleteAsync($"/api/instances/{id}")).Dispose();
        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Patience);

        stack.Arm.VirtualMachines.Should().NotContain(v => v.Name == vm.Name);
        dependents = stack.Arm.Dependents;
        dependents.Nics.Should().NotContain(vm.NicName, "the NIC's deleteOption is Delete");
        dependents.PublicIps.Should().NotContain(vm.PublicIpName);
        dependents.Disks.Should().NotContain(vm.OsDiskName);
    }

    [Fact]
    public async Task Azure_SeedSizeAsSpotWithUserData_ReachesArmAsAsked()
    {
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "AZURE", "Standard_NC6", "eastus");
        body["config"]!["spotMaxPrice"] = 0.5;
        body["config"]!["userData"] = "#!/bin/sh\necho fine-tune";
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, text);
        var id = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;

        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);

        var vm = stack.Arm.VirtualMachines.Single(v => v.Name == ready.CloudInstanceId);
        vm.VmSize.Should().Be("Standard_NC6");
        var properties = vm.Body["properties"]!;
        properties["priority"]!.GetValue<string>().Should().Be("Spot");
        properties["evictionPolicy"]!.GetValue<string>().Should().Be("Delete");
        properties["billingProfile"]!["maxPrice"]!.GetValue<double>().Should().Be(0.5);
        Encoding.UTF8.GetString(Convert.FromBase64String(vm.CustomData!)).Should().Contain("echo fine-tune");
    }

    [Fact]
    public async Task Azure_CreateWhoseAnswerIsLost_EndsWithOneVm()
    {
        stack.Arm.LosePutAnswers = 1;

        var id = await CreateAsync();

        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);
        var ours = stack.Arm.VirtualMachines.Where(v => v.Tags[OwnershipTags.InstanceId] == id.ToString()).ToList();
        ours.Should().ContainSingle("the retry found the VM by its name");
        ours[0].Name.Should().Be(ready.CloudInstanceId);
        ours[0].Puts.Should().Be(1, "the retry read the VM first and did not PUT over it");
    }

    [Fact]
    public async Task Azure_OrphanVm_IsDeletedByReconciliation()
    {
        var azure = Options.Create(AzureTestOptions.For(stack.Arm));
        var direct = new AzureCloudProvider(new ArmClientFactory(azure, new FixedTokenCredential(), stack.Arm.CreateTransport()),
            azure, Options.Create(new ProvisionerOptions()), TimeProvider.System);
        var orphanId = Guid.NewGuid();
        var orphan = await direct.LaunchAsync(new LaunchSpec(orphanId, LaunchTokens.For(orphanId), "nobody", "Standard_NC4as_T4_v3", "eastus", 64,
            new Dictionary<string, string>(), TimeProvider.System.GetUtcNow().AddHours(1)), CancellationToken.None);

        await WaitUntilAsync(() => stack.Arm.VirtualMachines.All(v => v.Name != orphan.CloudInstanceId),
            "a VM with no record is deleted after the grace period");
        // The run is recorded when it ends, a moment after it deleted the VM.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await stack.Database.ScalarAsync<long>("SELECT coalesce(sum(orphans_terminated), 0) FROM provisioner.reconciliation_runs WHERE backend = 'AZURE'") < 1)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"the reconciliation run that deleted the orphan is recorded\n{stack.Logs()}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Azure_AllocationFailsAfterTheCreateWasAccepted_FailsTheInstanceWithArmsWords_AndDeletesTheVm()
    {
        const string message = "Allocation failed. We do not have sufficient capacity for the requested VM size in this region.";
        stack.Arm.FailNextCreateLater = ("AllocationFailed", message);

        var id = await CreateAsync();

        var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Patience);
        failed.FailureReason.Should().Be($"InsufficientCapacity: AZURE returned AllocationFailed: {message}");
        await WaitUntilAsync(() => stack.Arm.VirtualMachines.All(v => v.Name != LaunchTokens.For(id)), "a failed VM still holds its NIC and disk until deleted");
    }

    [Fact]
    public async Task Azure_VmDeletedBehindOurBack_IsNotFound_AndTheInstanceIsClosed()
    {
        var id = await CreateAsync();
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);

        stack.Arm.RemoveBehindOurBack(LaunchTokens.For(id));

        var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Patience);
        // The machine watch (every 10 s) usually notices first and calls it an interruption; reconciliation, should it run
        // first, closes the record as vanished. Either way in ARM's terms, never a stuck READY.
        failed.FailureReason.Should().Match(r =>
            r!.StartsWith("Interrupted: the cloud no longer has machine ", StringComparison.Ordinal) || r.StartsWith("Vanished:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Azure_ThrottledThenServerError_AreRetried_AndTheCreateSucceeds()
    {
        var before = stack.Arm.CallsTo(LocalArm.PutVirtualMachine);
        stack.Arm.FailNext(LocalArm.PutVirtualMachine, ArmErrorException.Throttled(1),
            new ArmErrorException("InternalServerError", "Encountered internal server error.", 500));

        var id = await CreateAsync();

        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);
        stack.Arm.CallsTo(LocalArm.PutVirtualMachine).Should().Be(before + 3, "throttled and transient are retried by the pipeline, once each");
    }

    [Theory]
    [InlineData("SkuNotAvailable", 409, "InsufficientCapacity")]
    [InlineData("OperationNotAllowed", 409, "QuotaExceeded")]
    [InlineData("AuthorizationFailed", 403, "Unauthorized")]
    [InlineData("InvalidAuthenticationToken", 401, "Unauthorized")]
    [InlineData("InvalidParameter", 400, "InvalidRequest")]
    public async Task Azure_CreateRefused_FailsWithTheClassAndArmsOwnWords(string code, int status, string kind)
    {
        // These classes are never retried, so one refusal decides the create.
        var message = code == "OperationNotAllowed"
            ? "Operation could not be completed as it results in exceeding approved Total Regional Cores quota."
            : $"{code}: refused by the local ARM";
        stack.Arm.FailNext(LocalArm.PutVirtualMachine, new ArmErrorException(code, message, status));

        var id = await CreateAsync();

        var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Patience);
        failed.FailureReason.Should().Be($"{kind}: AZURE returned {code}: {message}");
    }

    /// <summary>
    /// A worker whose role loses <c>Microsoft.Compute/virtualMachines/read</c> once its VM is created: the readiness look fails
    /// the instance at once with ARM's words (not after the 10-minute stuck limit), and the VM is deleted.
    /// </summary>
    [Fact]
    public async Task Azure_ReadRefusedDuringReadiness_FailsTheInstanceAtOnceInArmsWords_AndDeletesTheVm()
    {
        const string message = "The client 'provisioner-worker' with object id '00000000-0000-0000-0000-00000000a11c' does not have authorization to perform "
            + "action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/" + LocalArm.SubscriptionId + "/resourceGroups/" + LocalArm.ResourceGroup
            + "' or the scope is invalid. If access was recently granted, please refresh your credentials.";
        var checks = stack.Arm.ChecksTime;
        // The VM stays initializing, so readiness keeps looking until the refusal meets it.
        stack.Arm.ChecksTime = TimeSpan.FromMinutes(5);
        try
        {
            var id = await CreateAsync();
            var name = LaunchTokens.For(id);
            await WaitUntilAsync(() => stack.Arm.VirtualMachines.Any(v => v.Name == name), "the VM is created");
            stack.Arm.FailNext(LocalArm.GetVirtualMachine, [.. Enumerable.Range(0, 200).Select(_ => new ArmErrorException("AuthorizationFailed", message, 403))]);
            var refusedFrom = System.Diagnostics.Stopwatch.StartNew();

            var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Patience);

            failed.FailureReason.Should().Be($"Unauthorized: AZURE returned AuthorizationFailed: {message}");
            refusedFrom.Elapsed.Should().BeLessThan(Patience, "it fails at once, not at the stuck limit");
            await WaitUntilAsync(() => stack.Arm.VirtualMachines.All(v => v.Name != name || v.DeleteRequestedAt is not null), "the failed instance's VM is deleted");
        }
        finally
        {
            stack.Arm.ClearFailures();
            stack.Arm.ChecksTime = checks;
        }
    }

    private async Task<Guid> CreateAsync()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances",
            InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "AZURE", "Standard_NC4as_T4_v3", "eastus"));
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }

    private async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"{because}\n{stack.Logs()}");
            await Task.Delay(200);
        }
    }
}
