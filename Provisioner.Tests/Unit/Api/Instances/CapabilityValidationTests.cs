using Provisioner.Api.Instances;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;
using Provisioner.Tests.Fakes;

namespace Provisioner.Tests.Unit.Api.Instances;

/// <summary>A request asking a provider for what it declared it cannot do is refused at once, naming the field.</summary>
public sealed class CapabilityValidationTests
{
    private readonly FixedCloudCapabilities _capabilities = new();

    private CreateInstanceRequestValidator Sut() => new(InstanceTypeCatalog.LoadEmbedded(), _capabilities);

    private static CreateInstanceRequest Request(decimal? spot = null, string? userData = null, Dictionary<string, string>? tags = null, string region = "us-east-1") =>
        new("user-123", null, new InstanceConfigRequest("AWS", "g4dn.xlarge", region, 100, 60, tags, null, spot, userData), null);

    [Theory]
    [InlineData("config.spotMaxPrice")]
    [InlineData("config.userData")]
    [InlineData("config.tags")]
    public void Validate_AskingForWhatTheProviderCannotDo_IsRefusedNamingTheField(string field)
    {
        _capabilities.Declared[CloudProviderName.Aws] = new ProviderCapabilities { Spot = false, UserData = false, DeadManSwitch = false, ResourceTags = false };
        var request = field switch
        {
            "config.spotMaxPrice" => Request(spot: 0.5m),
            "config.userData" => Request(userData: "#!/bin/sh"),
            _ => Request(tags: new() { ["team"] = "vision" }),
        };

        var result = Sut().Validate(request);

        result.Errors.Should().ContainSingle().Which.Should().Match<FluentValidation.Results.ValidationFailure>(
            e => e.PropertyName == field && e.ErrorCode == "capability_not_offered" && e.ErrorMessage.StartsWith("AWS "));
    }

    [Fact]
    public void Validate_ARegionTheAdapterIsNotSetUpFor_IsRefused()
    {
        _capabilities.Declared[CloudProviderName.Aws] = FixedCloudCapabilities.Everything with { Regions = new HashSet<string> { "us-east-1" } };

        Sut().Validate(Request(region: "us-east-1")).IsValid.Should().BeTrue();
        Sut().Validate(Request(region: "eu-west-1")).Errors.Should().ContainSingle()
            .Which.Should().Match<FluentValidation.Results.ValidationFailure>(e => e.PropertyName == "config.region" && e.ErrorCode == "capability_not_offered");
    }

    [Fact]
    public void Validate_WhatTheProviderCanDo_Passes()
    {
        _capabilities.Declared[CloudProviderName.Aws] = FixedCloudCapabilities.Everything;

        Sut().Validate(Request(spot: 0.5m, userData: "#!/bin/sh", tags: new() { ["team"] = "vision" })).IsValid.Should().BeTrue();
    }
}
