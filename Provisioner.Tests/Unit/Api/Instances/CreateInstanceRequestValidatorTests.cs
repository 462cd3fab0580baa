using Provisioner.Api.Instances;
using Provisioner.Core.Catalog;

namespace Provisioner.Tests.Unit.Api.Instances;

public sealed class CreateInstanceRequestValidatorTests
{
    private readonly CreateInstanceRequestValidator _sut = new(InstanceTypeCatalog.LoadEmbedded(), new Provisioner.Tests.Fakes.FixedCloudCapabilities());

    private static CreateInstanceRequest Request(
        string provider = "AZURE", string type = "Standard_NC6", string region = "eastus",
        int? disk = 100, int? minutes = 60, Dictionary<string, string>? tags = null) =>
        new("user-123", "task-456", new InstanceConfigRequest(provider, type, region, disk, minutes, tags), "Medical Document Analysis");

    [Theory]
    [InlineData("AZURE", "Standard_NC6", "eastus")]
    [InlineData("AWS", "g4dn.xlarge", "us-east-1")]
    [InlineData("AWS", "p3.2xlarge", "eu-west-1")]
    [InlineData("SIMULATED", "sim.gpu.small", "sim-local-1")]
    public void Validate_SeedRequests_Pass(string provider, string type, string region) =>
        _sut.Validate(Request(provider, type, region)).IsValid.Should().BeTrue();

    [Theory]
    [InlineData(30, 5)]
    [InlineData(16_384, 120)]
    [InlineData(null, null)]
    public void Validate_BoundariesAndDefaults_Pass(int? disk, int? minutes) =>
        _sut.Validate(Request(disk: disk, minutes: minutes)).IsValid.Should().BeTrue();

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1440, true)]
    [InlineData(1441, false)]
    public void Validate_CapacityWaitMinutes_WithinTheCeiling(int minutes, bool valid)
    {
        var request = Request();
        var result = _sut.Validate(request with { Config = request.Config! with { CapacityWaitMinutes = minutes } });

        result.IsValid.Should().Be(valid);
        if (!valid)
        {
            result.Errors.Should().ContainSingle().Which.Should().Match<FluentValidation.Results.ValidationFailure>(
                e => e.PropertyName == "config.capacityWaitMinutes" && e.ErrorCode == "out_of_range");
        }
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("fail", true)]
    [InlineData("relaunch", true)]
    [InlineData("Relaunch", false)]
    [InlineData("retry", false)]
    [InlineData("", false)]
    public void Validate_OnInterruption_IsFailOrRelaunch(string? policy, bool valid)
    {
        var result = _sut.Validate(Request() with { OnInterruption = policy });

        result.IsValid.Should().Be(valid);
        if (!valid)
        {
            result.Errors.Should().ContainSingle().Which.Should().Match<FluentValidation.Results.ValidationFailure>(
                e => e.PropertyName == "onInterruption" && e.ErrorCode == "invalid_value" && e.ErrorMessage.Contains("fail, relaunch"));
        }
    }

    [Theory]
    [InlineData(29, 60, "config.diskSizeGB", "disk_size_too_small")]
    [InlineData(100, 4, "config.autoTerminateMinutes", "auto_terminate_out_of_range")]
    [InlineData(100, 121, "config.autoTerminateMinutes", "auto_terminate_out_of_range")]
    public void Validate_OutOfRange_NamesFieldAndCode(int disk, int minutes, string field, string code)
    {
        var result = _sut.Validate(Request(disk: disk, minutes: minutes));

        result.Errors.Should().ContainSingle().Which.Should().Match<FluentValidation.Results.ValidationFailure>(
            e => e.PropertyName == field && e.ErrorCode == code);
    }

    [Fact]
    public void Validate_TypeOfAnotherProvider_ListsWhatTheProviderOffers()
    {
        var result = _sut.Validate(Request("AWS", "Standard_NC6", "us-east-1"));

        var error = result.Errors.Should().ContainSingle().Subject;
        error.ErrorCode.Should().Be("instance_type_not_offered");
        error.ErrorMessage.Should().Contain("g4dn.xlarge");
    }

    [Fact]
    public void Validate_SlashInATagName_IsRefusedForAzureOnly()
    {
        var tags = new Dictionary<string, string> { ["team/vision"] = "x" };

        _sut.Validate(Request(tags: tags)).Errors.Should().ContainSingle()
            .Which.Should().Match<FluentValidation.Results.ValidationFailure>(e => e.ErrorCode == "tag_key_invalid" && e.PropertyName == "config.tags.team/vision");
        _sut.Validate(Request("AWS", "g4dn.xlarge", "us-east-1", tags: tags)).IsValid.Should().BeTrue("EC2 allows '/' in tag keys");
    }

    [Theory]
    [InlineData("0.0009", false)]
    [InlineData("0.001", true)]
    [InlineData("1000", true)]
    [InlineData("1000.01", false)]
    public void Validate_SpotMaxPrice_HasEc2sFloorAndASaneCeiling(string price, bool valid)
    {
        var request = Request("AWS", "g5.xlarge", "us-east-1");
        request = request with { Config = request.Config! with { SpotMaxPrice = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture) } };

        var result = _sut.Validate(request);

        result.IsValid.Should().Be(valid);
        if (!valid)
        {
            result.Errors.Should().ContainSingle().Which.ErrorCode.Should().Be("spot_max_price_out_of_range");
        }
    }

    [Fact]
    public void Validate_UserData_IsLimitedToWhatEc2Takes()
    {
        var request = Request();

        _sut.Validate(request with { Config = request.Config! with { UserData = new string('x', 12_288) } }).IsValid.Should().BeTrue();
        _sut.Validate(request with { Config = request.Config! with { UserData = new string('x', 12_289) } }).Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be("config.userData");
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEach()
    {
        var result = _sut.Validate(new CreateInstanceRequest(null, null, new InstanceConfigRequest("AZURE", "nope", "mars", 1, 1, null), null));

        result.Errors.Select(e => e.PropertyName).Should().BeEquivalentTo(
            ["userId", "config.instanceType", "config.region", "config.diskSizeGB", "config.autoTerminateMinutes"]);
    }
}
