using FluentValidation.Results;
using Provisioner.Api.Instances;
using Provisioner.Core.Catalog;

namespace Provisioner.Tests.Unit.Api.Instances;

/// <summary>The seed shape's <c>config.requirements</c>: each mistake on its field with a stable code, and never with an exact machine.</summary>
public sealed class CreateInstanceRequestValidatorRequirementsTests
{
    private readonly CreateInstanceRequestValidator _sut = new(InstanceTypeCatalog.LoadEmbedded(), new Provisioner.Tests.Fakes.FixedCloudCapabilities());

    private static CreateInstanceRequest WithNeeds(RequirementsRequest requirements, string? provider = null, decimal? spotMaxPrice = null) =>
        new("user-1", null, new InstanceConfigRequest(provider, null, null, 50, 60, null, SpotMaxPrice: spotMaxPrice, Requirements: requirements), null);

    [Fact]
    public void Validate_StatedNeeds_Pass() =>
        _sut.Validate(WithNeeds(new RequirementsRequest("A100", 1, 40, 5m, ["AWS", "AZURE", "NOVITA"], null, "preferred"))).Errors.Should().BeEmpty();

    [Theory]
    [InlineData(null, 1, null, null, "config.requirements.gpu", "required")]
    [InlineData("T4", 0, null, null, "config.requirements.gpuCount", "out_of_range")]
    [InlineData("T4", 9, null, null, "config.requirements.gpuCount", "out_of_range")]
    [InlineData("T4", 1, 0, null, "config.requirements.minGpuMemoryGiB", "out_of_range")]
    [InlineData("T4", 1, null, "sometimes", "config.requirements.spot", "invalid_value")]
    [InlineData("T4", 1, null, "Preferred", "config.requirements.spot", "invalid_value")]
    [InlineData("Voodoo", 1, null, null, "config.requirements", "no_offer_fits")]
    [InlineData("T4", 1, 80, null, "config.requirements", "no_offer_fits")]
    public void Validate_BadRequirements_NameFieldAndCode(string? gpu, int count, int? memory, string? spot, string field, string code) =>
        _sut.Validate(WithNeeds(new RequirementsRequest(gpu, count, memory, Spot: spot))).Errors.Should().ContainSingle()
            .Which.Should().Match<ValidationFailure>(e => e.PropertyName == field && e.ErrorCode == code);

    [Fact]
    public void Validate_UnknownProviderOrNonPositivePrice_IsRefused()
    {
        var errors = _sut.Validate(WithNeeds(new RequirementsRequest("T4", MaxPricePerHour: 0m, Providers: ["GCP"]))).Errors;

        errors.Select(e => (e.PropertyName, e.ErrorCode)).Should().BeEquivalentTo(new[]
        {
            ("config.requirements.maxPricePerHour", "out_of_range"), ("config.requirements.providers", "unknown_provider"),
        });
    }

    [Theory]
    [InlineData("AWS", null)]
    [InlineData(null, 1.0)]
    public void Validate_ExactMachineAndRequirements_IsRefused(string? provider, double? spotMaxPrice) =>
        _sut.Validate(WithNeeds(new RequirementsRequest("T4"), provider, (decimal?)spotMaxPrice)).Errors.Should().ContainSingle()
            .Which.Should().Match<ValidationFailure>(e => e.PropertyName == "config.requirements" && e.ErrorCode == "exact_and_requirements");
}
