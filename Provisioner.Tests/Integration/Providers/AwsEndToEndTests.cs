using System.Net;
using System.Net.Http.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Provisioner.Api.Instances;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Aws;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Fakes.Ec2;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>The API and a worker with the EC2 adapter enabled, pointed at the local EC2 through configuration only.</summary>
public sealed class AwsStack : ProvisionerStack
{
    public const string Image = "ami-0abcdef1234567890";

    public LocalEc2 Ec2 { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Providers__Aws__Enabled"] = "true",
        ["Providers__Aws__Endpoint"] = Ec2.Endpoint.ToString(),
        ["Providers__Aws__Regions__0"] = "us-east-1",
        ["Providers__Aws__Images__us-east-1"] = Image,
        // The SDK's standard credential chain reads these, as it would on a real host.
        ["AWS_ACCESS_KEY_ID"] = LocalEc2.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = LocalEc2.SecretKey,
        ["Lifecycle__ReconcileInterval"] = "00:00:01",
        ["Lifecycle__OrphanGracePeriod"] = "00:00:02",
        ["Lifecycle__CloudRetryInitialDelay"] = "00:00:00.200",
        ["Resilience__Defaults__RetryBaseDelay"] = "00:00:00.050",
    };

    public override async Task InitializeAsync()
    {
        Ec2 = await LocalEc2.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Ec2 is not null)
        {
            await Ec2.DisposeAsync();
        }
    }
}

/// <summary>Through the API and a worker with <c>provider: AWS</c>: launch, ready, terminate, a lost answer, an orphan, each error class.</summary>
public sealed class AwsEndToEndTests(AwsStack stack) : IClassFixture<AwsStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Aws_LaunchReadyTerminate_OnEc2()
    {
        var id = await CreateAsync();

        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);
        ready.Backend.Should().Be("AWS");
        ready.CloudInstanceId.Should().MatchRegex("^i-[0-9a-f]{17}$");
        ready.PublicIp.Should().StartWith("198.51.100.");
        var machine = stack.Ec2.Instances.Single(i => i.InstanceId == ready.CloudInstanceId);
        machine.ImageId.Should().Be(AwsStack.Image);
        machine.LaunchParameters["InstanceInitiatedShutdownBehavior"].Should().Be("terminate");
        machine.Tags[OwnershipTags.Owner].Should().Be(ProvisionerStack.Tenant);

        (await stack.Client.DeleteAsync($"/api/instances/{id}")).Dispose();
        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Patience);
        machine.TerminateRequestedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task Aws_SpotRequestWithUserData_ReachesEc2AsAskedAndTheScriptIsNotShownBack()
    {
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "AWS", "g5.xlarge", "us-east-1");
        body["config"]!["spotMaxPrice"] = 0.5;
        body["config"]!["userData"] = "#!/bin/sh\necho fine-tune";
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, text);
        text.Should().NotContain("fine-tune", "user data may hold secrets: it goes to the machine, not back to clients");
        var id = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;

        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);

        ready.SpotMaxPrice.Should().Be(0.5m);
        var sent = stack.Ec2.Instances.Single(i => i.InstanceId == ready.CloudInstanceId).LaunchParameters;
        sent["InstanceMarketOptions.SpotOptions.MaxPrice"].Should().Be("0.5");
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(sent["UserData"])).Should().Contain("echo fine-tune");
    }

    [Fact]
    public async Task Aws_LaunchWhoseAnswerIsLost_EndsWithOneMachine()
    {
        stack.Ec2.LoseRunInstancesAnswers = 1;
        var before = stack.Ec2.CallsTo("RunInstances");

        var id = await CreateAsync();

        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);
        stack.Ec2.CallsTo("RunInstances").Should().BeGreaterThanOrEqualTo(before + 2, "the lost answer was retried");
        stack.Ec2.Instances.Count(i => i.Tags[OwnershipTags.InstanceId] == id.ToString()).Should().Be(1, "the retry carried the same ClientToken");
        ready.CloudInstanceId.Should().Be(stack.Ec2.Instances.Single(i => i.Tags[OwnershipTags.InstanceId] == id.ToString()).InstanceId);
    }

    [Fact]
    public async Task Aws_OrphanMachine_IsTerminatedByReconciliation()
    {
        var aws = Options.Create(new AwsOptions { Enabled = true, Endpoint = stack.Ec2.Endpoint, Images = new() { ["us-east-1"] = AwsStack.Image } });
        using var clients = new AwsClientFactory(aws, new BasicAWSCredentials(LocalEc2.AccessKey, LocalEc2.SecretKey));
        var direct = new AwsCloudProvider(clients, aws, Options.Create(new ProvisionerOptions()), InstanceTypeCatalog.LoadEmbedded());
        var orphanId = Guid.NewGuid();
        var orphan = await direct.LaunchAsync(new LaunchSpec(orphanId, LaunchTokens.For(orphanId), "nobody", "g4dn.xlarge", "us-east-1", 50,
            new Dictionary<string, string>(), TimeProvider.System.GetUtcNow().AddHours(1)), CancellationToken.None);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (stack.Ec2.Instances.Single(i => i.InstanceId == orphan.CloudInstanceId).TerminateRequestedAt is null)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"a machine with no record is terminated after the grace period\n{stack.Logs()}");
            await Task.Delay(200);
        }

        // The run is recorded when it ends, a moment after it terminated the machine.
        while (await stack.Database.ScalarAsync<long>("SELECT coalesce(sum(orphans_terminated), 0) FROM provisioner.reconciliation_runs WHERE backend = 'AWS'") < 1)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"the reconciliation run that terminated the orphan is recorded\n{stack.Logs()}");
            await Task.Delay(200);
        }
    }

    [Theory]
    [InlineData("InsufficientInstanceCapacity", 500, "InsufficientCapacity")]
    [InlineData("VcpuLimitExceeded", 400, "QuotaExceeded")]
    [InlineData("UnauthorizedOperation", 403, "Unauthorized")]
    [InlineData("InvalidParameterValue", 400, "InvalidRequest")]
    public async Task Aws_LaunchRefused_FailsWithTheClassAndEc2sOwnWords(string code, int status, string kind)
    {
        // These classes are never retried, so one refusal decides the launch.
        stack.Ec2.FailNext("RunInstances", new Ec2ErrorException(code, $"{code}: refused by the local EC2", status));

        var id = await CreateAsync();

        var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Patience);
        failed.FailureReason.Should().Be($"{kind}: AWS returned {code}: {code}: refused by the local EC2");
    }

    /// <summary>
    /// A worker whose IAM policy lacks <c>ec2:DescribeInstanceStatus</c>: the readiness look fails the instance at once
    /// with EC2's words (not after the 10-minute stuck limit), its machine is released, and reconciliation goes on past
    /// the refused call, its run marked partial for the region.
    /// </summary>
    [Fact]
    public async Task Aws_StatusChecksRefused_FailsTheInstanceAtOnceInEc2sWords_AndReconciliationGoesOnPartial()
    {
        var refused = Enumerable.Range(0, 200)
            .Select(_ => new Ec2ErrorException("UnauthorizedOperation", "You are not authorized to perform: ec2:DescribeInstanceStatus", 403)).ToArray();
        // A running machine in the account, so every listing asks for status checks while the refusal lasts.
        var running = await CreateAsync();
        await stack.WaitForStatusAsync(running, InstanceStatus.Ready, Patience);
        var since = TimeProvider.System.GetUtcNow();
        try
        {
            stack.Ec2.FailNext("DescribeInstanceStatus", refused);
            var id = await CreateAsync();

            var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Patience);
            failed.FailureReason.Should().Be("Unauthorized: AWS returned UnauthorizedOperation: You are not authorized to perform: ec2:DescribeInstanceStatus");
            (TimeProvider.System.GetUtcNow() - since).Should().BeLessThan(Patience, "it fails at once, not at the stuck limit");
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (stack.Ec2.Instances.Single(i => i.Tags[OwnershipTags.InstanceId] == id.ToString()).TerminateRequestedAt is null)
            {
                waited.Elapsed.Should().BeLessThan(Patience, $"the failed instance's machine is released\n{stack.Logs()}");
                await Task.Delay(200);
            }

            while (await stack.Database.ScalarAsync<long>(
                "SELECT count(*) FROM provisioner.reconciliation_runs WHERE backend = 'AWS' AND started_at >= $1 AND error LIKE 'partial: us-east-1 unread (Unauthorized: AWS returned UnauthorizedOperation%'", since) < 1)
            {
                waited.Elapsed.Should().BeLessThan(Patience, $"reconciliation records a partial run instead of stopping\n{stack.Logs()}");
                await Task.Delay(200);
            }

            using var ready = await stack.Client.GetAsync("/health/ready");
            var health = System.Text.Json.Nodes.JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            health["checks"]!["reconciliation"]!["status"]!.GetValue<string>().Should().Be("Degraded");
            health["checks"]!["reconciliation"]!["description"]!.GetValue<string>().Should().Contain("AWS partial");
        }
        finally
        {
            stack.Ec2.ClearFailures();
            (await stack.Client.DeleteAsync($"/api/instances/{running}")).Dispose();
        }
    }

    private async Task<Guid> CreateAsync()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances",
            InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "AWS", "g4dn.xlarge", "us-east-1"));
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }
}
