using System.Net;
using Provisioner.Client;
using Provisioner.Client.Models;
using Provisioner.Client.Waiting;

namespace Provisioner.Tests.Integration.Client;

/// <summary>
/// <see cref="ProvisionerClient"/> against the real API, worker and database: a machine asked for by its needs is
/// created, waited for, listed, read and stopped; problems arrive as exceptions with their code and field.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ProvisionerClientTests(ClientStack stack)
{
    private static readonly WaitOptions Quick = new() { InitialPollInterval = TimeSpan.FromMilliseconds(100), MaxPollInterval = TimeSpan.FromMilliseconds(500), Timeout = TimeSpan.FromMinutes(2) };

    private static CreateInstanceRequest ByNeeds(string user) => new()
    {
        UserId = user,
        Purpose = "client test",
        Config = new InstanceConfig { AutoTerminateMinutes = 30, Requirements = new Requirements("A100", MaxPricePerHour: 10m) },
    };

    [Fact]
    public async Task CreateWaitListTerminate_FollowsTheMachineToTheEnd()
    {
        using var sut = stack.NewClient();
        var user = "client-" + Guid.NewGuid().ToString("N")[..8];
        var seen = new List<string>();

        var created = await sut.CreateInstanceAsync(ByNeeds(user));
        var ready = await sut.WaitUntilReadyAsync(created.Instance.Id, Quick with { OnChange = (i, _) => { seen.Add(i.Status); return Task.CompletedTask; } });
        var listed = await sut.ListInstancesAsync(new InstanceQuery(UserId: user));
        var events = await sut.GetInstanceEventsAsync(ready.Id);
        var attempts = await sut.GetLaunchAttemptsAsync(ready.Id);
        var stopping = await sut.TerminateInstanceAsync(ready.Id);
        var finished = await sut.WaitUntilFinishedAsync(ready.Id, Quick);

        created.Instance.Status.Should().Be(InstanceStatuses.Provisioning);
        created.IdempotencyKey.Should().StartWith("client-", "the client makes a key when the caller gives none");
        ready.Status.Should().Be(InstanceStatuses.Ready, stack.Logs());
        ready.CostPerHour.Should().BeLessThanOrEqualTo(10m, "the placer keeps within the price asked");
        seen.Should().StartWith(InstanceStatuses.Provisioning).And.EndWith(InstanceStatuses.Ready);
        listed.Instances.Select(i => i.Id).Should().Equal(ready.Id);
        events.Select(e => e.To).Should().ContainInOrder(InstanceStatuses.Provisioning, InstanceStatuses.Ready);
        attempts.Should().ContainSingle(a => a.Outcome == "LAUNCHED");
        stopping.Instance.Status.Should().BeOneOf(InstanceStatuses.Stopping, InstanceStatuses.Terminated);
        finished.Status.Should().Be(InstanceStatuses.Terminated);
        (await sut.TerminateInstanceAsync(ready.Id)).Message.Should().Contain("already", "stopping an ended machine is not an error");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WaitUntilReady_HeldByTheServer_EndsWithoutPolling(bool infiniteHttpTimeout)
    {
        // An HttpClient without a timeout still gets held reads, not the fallback's ten-minute pauses.
        using var http = new HttpClient { Timeout = infiniteHttpTimeout ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(100) };
        using var sut = new ProvisionerClient(http, new ProvisionerClientOptions { BaseAddress = stack.Api.BaseAddress, ApiKey = stack.TenantKey });
        // Polls ten minutes apart and no webhook: only reads the server holds until a change can end these waits in time.
        var seen = new List<string>();
        var patient = new WaitOptions
        {
            InitialPollInterval = TimeSpan.FromMinutes(10), MaxPollInterval = TimeSpan.FromMinutes(10), Timeout = TimeSpan.FromMinutes(10),
            OnChange = (i, _) => { seen.Add(i.Status); return Task.CompletedTask; },
        };
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var created = await sut.CreateInstanceAsync(ByNeeds("held-waiter"));
        var ready = await sut.WaitUntilReadyAsync(created.Instance.Id, patient, deadline.Token);
        await sut.TerminateInstanceAsync(ready.Id);
        var finished = await sut.WaitUntilFinishedAsync(ready.Id, patient, deadline.Token);

        ready.Status.Should().Be(InstanceStatuses.Ready, stack.Logs());
        finished.Status.Should().Be(InstanceStatuses.Terminated);
        seen.Should().Contain(InstanceStatuses.Ready).And.EndWith(InstanceStatuses.Terminated);
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyTwice_AnswersTheSameMachine()
    {
        using var sut = stack.NewClient();
        var key = "test-" + Guid.NewGuid().ToString("N");
        var request = ByNeeds("idem-" + Guid.NewGuid().ToString("N")[..8]);

        var first = await sut.CreateInstanceAsync(request, key);
        var second = await sut.CreateInstanceAsync(request, key);
        await sut.TerminateInstanceAsync(first.Instance.Id);

        second.Instance.Id.Should().Be(first.Instance.Id);
        (first.Replayed, second.Replayed).Should().Be((false, true));
        second.IdempotencyKey.Should().Be(key);
    }

    [Fact]
    public async Task Create_NovitaShape_IsAcceptedWithItsEstimate()
    {
        using var sut = stack.NewClient();

        var created = await sut.CreateInstanceAsync(new NovitaCreateInstanceRequest
        {
            Name = "novita-" + Guid.NewGuid().ToString("N")[..8], ProductName = "RTX 4090 24GB", TemplateId = 1, GpuNum = 1, RootfsSize = 50,
        });
        await sut.TerminateInstanceAsync(created.Instance.Id);

        created.Instance.Provider.Should().Be("NOVITA");
        created.EstimatedReadyAt.Should().NotBeNull("the NovitaAI shape answers when the machine should be ready");
    }

    [Fact]
    public async Task UnknownInstance_IsTheNotFoundProblem()
    {
        using var sut = stack.NewClient();

        var thrown = await FluentActions.Awaiting(() => sut.GetInstanceAsync(Guid.NewGuid())).Should().ThrowAsync<ProvisionerProblemException>();

        thrown.Which.Status.Should().Be(HttpStatusCode.NotFound);
        thrown.Which.Code.Should().Be("instance_not_found");
        thrown.Which.TraceId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task InvalidCreate_IsTheValidationProblem_NamingTheField()
    {
        using var sut = stack.NewClient();
        var request = new CreateInstanceRequest
        {
            UserId = "u",
            Config = new InstanceConfig { Provider = "AWS", InstanceType = "no-such-type", Region = "us-east-1" },
        };

        var thrown = await FluentActions.Awaiting(() => sut.CreateInstanceAsync(request)).Should().ThrowAsync<ProvisionerProblemException>();

        thrown.Which.Status.Should().Be(HttpStatusCode.BadRequest);
        thrown.Which.Code.Should().Be("validation_failed");
        thrown.Which.Field.Should().Be("config.instanceType");
        thrown.Which.Errors.Should().Contain(e => e.Field == "config.instanceType" && e.Code == "instance_type_not_offered");
    }

    [Fact]
    public async Task NothingWithinThePrice_IsTheNoOfferProblem()
    {
        using var sut = stack.NewClient();
        var request = ByNeeds("cheap") with { Config = new InstanceConfig { Requirements = new Requirements("A100", MaxPricePerHour: 0.01m) } };

        var thrown = await FluentActions.Awaiting(() => sut.CreateInstanceAsync(request)).Should().ThrowAsync<ProvisionerProblemException>();

        (thrown.Which.Code, thrown.Which.Field).Should().Be(("no_offer_within_price", "maxPricePerHour"));
    }

    [Fact]
    public async Task WrongKey_IsTheUnauthorizedProblem_AndTenantKeyOnAdmin_IsForbidden()
    {
        using var wrong = stack.NewClient("prov_not-a-key");
        using var tenant = stack.NewClient();

        var unauthorized = await FluentActions.Awaiting(() => wrong.ListInstancesAsync()).Should().ThrowAsync<ProvisionerProblemException>();
        var forbidden = await FluentActions.Awaiting(() => tenant.ListApiKeysAsync()).Should().ThrowAsync<ProvisionerProblemException>();

        (unauthorized.Which.Status, unauthorized.Which.Code).Should().Be((HttpStatusCode.Unauthorized, "unauthorized"));
        (forbidden.Which.Status, forbidden.Which.Code).Should().Be((HttpStatusCode.Forbidden, "forbidden"));
    }

    [Fact]
    public async Task CatalogCostsBudgetAndKeys_AreTyped()
    {
        using var sut = stack.NewClient(await stack.NewTenantKeyAsync());
        using var admin = stack.NewClient(stack.AdminKey);

        var offers = await sut.ListOffersAsync(new OfferQuery("A100"));
        var types = await sut.ListInstanceTypesAsync("NOVITA");
        var noBudget = await FluentActions.Awaiting(() => sut.GetBudgetAsync()).Should().ThrowAsync<ProvisionerProblemException>();
        var budget = await sut.SetBudgetAsync(500m, 20m);
        var daily = await sut.GetDailyCostsAsync();
        var savings = await sut.GetSavingsAsync();
        var statistics = await sut.GetInstanceStatisticsAsync();
        var key = await admin.CreateApiKeyAsync(new CreateApiKeyRequest("client-made", "made by the client test"));
        var revoked = await admin.RevokeApiKeyAsync(key.Key.Id);

        offers.Should().NotBeEmpty().And.OnlyContain(o => o.GpuModel == "A100");
        offers.Select(o => o.PricePerHour).Should().BeInAscendingOrder();
        types.Should().Contain(t => t.Name == "RTX 4090 24GB" && t.Gpu.Model == "RTX 4090");
        noBudget.Which.Code.Should().Be("budget_not_set");
        (budget.MonthlyLimit, budget.PerInstanceCap).Should().Be((500m, 20m));
        daily.Days.Should().NotBeEmpty();
        savings.ActualCost.Should().Be(0m);
        statistics.TotalProvisioned.Should().Be(0);
        key.Secret.Should().StartWith("prov_");
        revoked.RevokedAt.Should().NotBeNull();
    }
}
