namespace DrivePerception.Synthetic;

/// <summary>
/// CamVid's 11 classes (SegNet's grouping, as in <c>../shared/data/camvid</c>) plus void, so models trained on
/// CamVid apply to synthetic frames. The values are the label ids written to class maps.
/// </summary>
public enum CamVidClass : byte
{
    /// <summary>Sky.</summary>
    Sky = 0,

    /// <summary>Buildings and walls.</summary>
    Building = 1,

    /// <summary>Lamp posts and sign posts.</summary>
    Pole = 2,

    /// <summary>Carriageway, lane markings included.</summary>
    Road = 3,

    /// <summary>Sidewalk and kerb ("pavement").</summary>
    Sidewalk = 4,

    /// <summary>Trees and other vegetation, grass included.</summary>
    Tree = 5,

    /// <summary>Sign plates.</summary>
    Sign = 6,

    /// <summary>Fences and railings.</summary>
    Fence = 7,

    /// <summary>Cars, vans, buses.</summary>
    Car = 8,

    /// <summary>Pedestrians.</summary>
    Pedestrian = 9,

    /// <summary>Cyclists (the renderer draws none yet).</summary>
    Bicyclist = 10,

    /// <summary>Unlabelled; ignored in training and scoring.</summary>
    Void = 11,
}
