using System.Net;
using Azure;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Resources;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Azure;
using Provisioner.Tests.Fakes.Arm;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>
/// What only the Azure adapter does, over Azure.ResourceManager.Compute and real HTTPS against the strict local ARM
/// (the rules every adapter keeps are in <see cref="Contracts.AzureContractTests"/>), and that the local ARM is as
/// strict and as ARM-like as the adapter's tests rely on.
/// </summary>
public sealed class AzureCloudProviderTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(TimeProvider.System.GetUtcNow());
    private readonly FixedTokenCredential _credential = new();
    private LocalArm _arm = null!;

    public async Task InitializeAsync()
    {
        _arm = await LocalArm.StartAsync();
        _arm.Clock = _clock;
    }

    public async Task DisposeAsync() => await _arm.DisposeAsync();

    [Fact]
    public async Task Launch_PutsOneVmWithItsDiskNicAndIpDeletedWithIt_AndNeverWaitsForTheOperation()
    {
        var sut = Provider();
        var spec = Spec();

        var machine = await sut.LaunchAsync(spec, CancellationToken.None);

        machine.State.Should().Be(CloudMachineState.Pending);
        machine.CloudInstanceId.Should().Be(LaunchTokens.For(spec.InstanceId));
        var vm = _arm.VirtualMachines.Single();
        var properties = vm.Body["properties"]!;
        properties["storageProfile"]!["osDisk"]!["diskSizeGB"]!.GetValue<int>().Should().Be(128);
        properties["storageProfile"]!["osDisk"]!["deleteOption"]!.GetValue<string>().Should().Be("Delete");
        properties["networkProfile"]!["networkApiVersion"]!.GetValue<string>().Should().Be("2020-11-01");
        vm.NicDeleteOption.Should().Be("Delete");
        vm.PublicIpDeleteOption.Should().Be("Delete");
        properties["osProfile"]!["linuxConfiguration"]!["ssh"]!["publicKeys"]![0]!["keyData"]!.GetValue<string>().Should().Be(LocalArm.SshPublicKey);
        properties["priority"].Should().BeNull("on-demand unless a spot price is asked");
        vm.Tags.Should().Contain(new Dictionary<string, string>
        {
            [OwnershipTags.InstanceId] = spec.InstanceId.ToString(), [OwnershipTags.Owner] = "tenant-a", [OwnershipTags.Cluster] = "azure-tests", ["team"] = "vision",
        });
        _arm.Requests.Should().NotContain(r => r.Contains("/operations/", StringComparison.Ordinal), "WaitUntil.Started: no worker thread polls ARM");
        _arm.Requests.Where(r => r.Contains("/virtualMachines/", StringComparison.Ordinal)).Should().OnlyContain(r => r.Contains("api-version=2023-07-01", StringComparison.Ordinal));
        _credential.Scopes.Should().OnlyContain(s => s == "https://management.azure.com//.default");
    }

    [Fact]
    public async Task Describe_ReadsTheAddressesFromTheNicAndItsPublicIp_OnlyOnceTheVmRuns()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);

        var pending = await sut.DescribeAsync("eastus", machine.CloudInstanceId, CancellationToken.None);
        pending!.State.Should().Be(CloudMachineState.Pending);
        _arm.CallsTo(LocalArm.GetNetworkResource).Should().Be(0, "a machine that is not running has no address worth a call");

        _clock.Advance(_arm.BootTime + _arm.ChecksTime);
        var running = await sut.DescribeAsync("eastus", machine.CloudInstanceId, CancellationToken.None);

        running!.State.Should().Be(CloudMachineState.Running);
        running.PublicIp.Should().StartWith("203.0.113.");
        running.PrivateIp.Should().StartWith("10.0.");
        running.LaunchedAt.Should().BeCloseTo(_clock.GetUtcNow() - _arm.BootTime - _arm.ChecksTime, TimeSpan.FromSeconds(1), "ARM's timeCreated");
        _arm.CallsTo(LocalArm.GetNetworkResource).Should().Be(2, "the NIC, then its public IP");
        _arm.Requests.Should().Contain(r => r.Contains("/networkInterfaces/", StringComparison.Ordinal) && r.Contains("api-version=2020-11-01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Launch_SameNameOtherSpec_IsRefusedBeforeAnyPut_SoTheVmIsNeverResized()
    {
        var sut = Provider();
        var spec = Spec();
        await sut.LaunchAsync(spec, CancellationToken.None);

        var act = () => sut.LaunchAsync(spec with { InstanceType = "Standard_NC8as_T4_v3" }, CancellationToken.None);

        (await act.Should().ThrowAsync<CloudProviderException>()).Which.CloudCode.Should().Be("IdempotentParameterMismatch");
        _arm.CallsTo(LocalArm.PutVirtualMachine).Should().Be(1);
        _arm.VirtualMachines.Single().VmSize.Should().Be("Standard_NC4as_T4_v3");
    }

    [Fact]
    public async Task Launch_RegionWithoutASubnet_IsInvalid_WithoutACall()
    {
        var act = () => Provider().LaunchAsync(Spec() with { Region = "japaneast" }, CancellationToken.None);

        (await act.Should().ThrowAsync<CloudProviderException>()).Which.CloudCode.Should().Be("NoSubnetConfigured");
        _arm.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Launch_ABodyArmRefuses_IsInvalidInArmsWords()
    {
        var options = AzureTestOptions.For(_arm);
        options.AdminUsername = "root";

        var act = () => Provider(options).LaunchAsync(Spec(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.InvalidRequest);
        error.CloudCode.Should().Be("InvalidParameter");
        error.CloudMessage.Should().Be("The Admin Username specified is not allowed.");
    }

    [Fact]
    public async Task ListOwned_AsksTheResourcesApiByTag_APageAtATime()
    {
        var sut = Provider(pageSize: 2);
        for (var i = 0; i < 3; i++)
        {
            await sut.LaunchAsync(Spec(), CancellationToken.None);
        }

        var first = await sut.ListOwnedAsync(null, CancellationToken.None);
        var second = await sut.ListOwnedAsync(first.NextPageToken, CancellationToken.None);

        first.Machines.Should().HaveCount(2);
        second.Machines.Should().ContainSingle();
        second.NextPageToken.Should().BeNull();
        _arm.Requests.Where(r => r.Contains("/resources?", StringComparison.Ordinal)).Should().HaveCount(2)
            .And.OnlyContain(r => r.Contains("$top=2", StringComparison.Ordinal) && r.Contains("tagName", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LocalArm_ACreatesOperation_IsPolledToItsEndByTheSdk_AndALateAllocationFailureSurfacesAsArmSays()
    {
        _arm.Clock = TimeProvider.System;
        _arm.BootTime = TimeSpan.FromMilliseconds(200);
        _arm.ChecksTime = TimeSpan.FromMilliseconds(200);
        var group = Arm().GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(LocalArm.SubscriptionId, LocalArm.ResourceGroup));
        var spec = Spec();
        var data = AzureVirtualMachines.Build(spec, AzureTestOptions.For(_arm), "azure-tests");

        var created = await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, AzureVirtualMachines.NameOf(spec), data);

        created.Value.Data.ProvisioningState.Should().Be("Succeeded");
        _arm.CallsTo(LocalArm.GetOperation).Should().BeGreaterThan(0, "the SDK follows Azure-AsyncOperation");

        _arm.FailNextCreateLater = ("AllocationFailed", "Allocation failed.");
        var other = Spec();
        var act = () => group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, AzureVirtualMachines.NameOf(other),
            AzureVirtualMachines.Build(other, AzureTestOptions.For(_arm), "azure-tests"));
        var failure = (await act.Should().ThrowAsync<RequestFailedException>()).Which;
        failure.ErrorCode.Should().Be("AllocationFailed");
        failure.Status.Should().Be(200, "as the real SDK reports an operation that failed: the status of the poll");
    }

    [Fact]
    public async Task LocalArm_RefusesAMissingOrWrongTokenAndApiVersion()
    {
        using var http = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == _arm.Certificate.Thumbprint,
        }) { BaseAddress = _arm.Endpoint };
        var vm = $"subscriptions/{LocalArm.SubscriptionId}/resourceGroups/{LocalArm.ResourceGroup}/providers/Microsoft.Compute/virtualMachines/vm1";

        async Task<(HttpStatusCode, string)> GetAsync(string url, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        (await GetAsync($"{vm}?api-version=2023-07-01", null)).Item2.Should().Contain("\"AuthenticationFailed\"");
        (await GetAsync($"{vm}?api-version=2023-07-01", "stolen")).Should().Be((HttpStatusCode.Unauthorized,
            """{"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}}"""));
        (await GetAsync(vm, LocalArm.Token)).Item2.Should().Contain("\"MissingApiVersionParameter\"");
        (await GetAsync($"{vm}?api-version=2015-06-15", LocalArm.Token)).Item2.Should().Contain("\"InvalidApiVersionParameter\"");
        (await GetAsync($"{vm}?api-version=2023-07-01", LocalArm.Token)).Item1.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReadStates_ReadsEveryVmFromTheSubscriptionsStatusList_NeverOneCallPerVm()
    {
        var sut = Provider();
        var machines = new List<CloudMachine>();
        for (var i = 0; i < 5; i++)
        {
            machines.Add(await sut.LaunchAsync(Spec(), CancellationToken.None));
        }

        _clock.Advance(TimeSpan.FromMinutes(5));
        var gets = _arm.CallsTo(LocalArm.GetVirtualMachine);
        _arm.VmListPageSize = 2;

        var states = await sut.ReadStatesAsync("eastus", [.. machines.Take(4).Select(m => m.CloudInstanceId)], CancellationToken.None);

        states.Select(s => s.CloudInstanceId).Should().BeEquivalentTo(machines.Take(4).Select(m => m.CloudInstanceId));
        states.Should().OnlyContain(s => s.State == CloudMachineState.Running && s.Health == CloudMachineHealth.Ok);
        _arm.CallsTo(LocalArm.GetVirtualMachine).Should().Be(gets, "no VM is read by itself");
        _arm.CallsTo(LocalArm.ListVirtualMachines).Should().BeInRange(2, 3, "pages of 2 until the four asked for are found");
        _arm.Requests.Where(r => r.Contains("/providers/Microsoft.Compute/virtualMachines?", StringComparison.Ordinal))
            .Should().OnlyContain(r => r.Contains("statusOnly=true", StringComparison.Ordinal));
    }

    private ICloudProvider Provider(AzureOptions? options = null, int pageSize = 100)
    {
        var azure = Options.Create(options ?? AzureTestOptions.For(_arm, pageSize));
        return new AzureCloudProvider(new ArmClientFactory(azure, _credential, _arm.CreateTransport()), azure,
            Options.Create(new ProvisionerOptions { ClusterName = "azure-tests" }), _clock);
    }

    private ArmClient Arm()
    {
        var options = new ArmClientOptions { Environment = new ArmEnvironment(_arm.Endpoint, ArmEnvironment.AzurePublicCloud.Audience), Transport = _arm.CreateTransport() };
        options.Retry.MaxRetries = 0;
        return new ArmClient(_credential, LocalArm.SubscriptionId, options);
    }

    private LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "Standard_NC4as_T4_v3", "eastus", 128,
            new Dictionary<string, string> { ["team"] = "vision" }, _clock.GetUtcNow().AddHours(1));
    }
}
