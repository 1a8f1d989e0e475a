"""The documentation of every parameter and field, from the reference page, in a person's words.
The window shows it as tooltips; the command line may print it."""

from __future__ import annotations

USER_ACTION_FIELDS: dict[str, str] = {
    "userMessage": "Text entered by the user, shown above the link. Gigya keeps only the HTML tags "
    "<b> <i> <u> <strong> <br> <p>. Facebook rejects a message the user has posted before. Twitter does not post it.",
    "title": "The link text shown to the reader. Twitter posts the title and the link back only.",
    "linkBack": "The absolute URL the share links to (https://...). It must be in the site's approved domains.",
    "subtitle": "Appears below the link (Facebook only).",
    "description": "A description of the link, shown below the subtitle.",
    "actionLinks": "Extra links shown under the post: text and an absolute URL each. "
    "Facebook shows one, with at most 25 characters of text.",
    "mediaItems": "Images, a video (type flash) or mp3 files shown with the post: only ONE type per action.",
}

MEDIA_FIELDS_DOC: dict[str, str] = {
    "src": "The absolute URL of the media file.",
    "href": "Where a click on the image leads (an absolute URL).",
    "previewImageURL": "The image shown before the video plays (absolute URL).",
    "previewImageWidth": "Width of the preview image, in pixels.",
    "previewImageHeight": "Height of the preview image, in pixels.",
    "width": "Width of the video player, in pixels.",
    "height": "Height of the video player, in pixels.",
    "title": "The track's title.",
    "artist": "The track's artist.",
    "album": "The album the track is from.",
}

PARAMS: dict[str, str] = {
    "UID": "The unique ID of the user who performs the action (the UID Gigya returned at login). Required.",
    "userAction": "The default content for every network.",
    "enabledProviders": "Publish only to these networks (the server still skips those the user is not connected to). "
    "None checked: every connected network.",
    "disabledProviders": "Never publish to these networks.",
    "shortURLs": "Gigya's URL shortening: always (default), whenRequired (URLs longer than 139 characters) or never.",
    "tags": "A comma-separated list of tags that identify this share in reports.",
    "cid": "Context ID: a category for reports, at most 100 characters. Use no more than 100 distinct values per site.",
    "actionAttributes": "Gamification attributes: keys with one value or a list of values, at most three values in all.",
    "userLocation": "Where the action happened. Only Twitter honours a location.",
    "userLocation.latitude": "Latitude from -90 to +90 (north is positive).",
    "userLocation.longitude": "Longitude from -180 to +180 (east is positive).",
    "userLocation.placeID": "A place identifier from socialize.getPlaces.",
    "format": "The response format: json, or jsonp with a callback. The app always reads the answer either way.",
    "callback": "The JavaScript function name wrapped around a jsonp answer.",
    "httpStatusCodes": "When on, the HTTP status reflects an error; when off (default) it is always 200 and the "
    "outcome is in errorCode.",
}

