namespace DrivePerception.Synthetic;

/// <summary>The weather of a run: decides the sky, and whether the sun casts shadows.</summary>
public enum SkyCondition
{
    /// <summary>The seed chooses overcast or sunny (about half each).</summary>
    FromSeed,

    /// <summary>Grey sky, soft light, only contact shadows under vehicles and walkers (CamVid's usual weather).</summary>
    Overcast,

    /// <summary>Blue sky with clouds; sun shadows of buildings, trees, poles, vehicles and walkers.</summary>
    Sunny,
}
