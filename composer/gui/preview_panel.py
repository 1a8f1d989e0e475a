"""Preview cards, one per network, rendered from :mod:`composer.core.call.preview` data.

User text is set as plain text (``Qt.PlainText`` labels; the tweet goes into a read-only plain-text
view, with ``setPlainText`` or through a cursor, neither of which interprets markup), so a title like
``<b>hi</b>`` shows its angle brackets instead of turning bold.  The one exception is the user
message, which networks show formatted: it goes through ``message_rich_text`` (core/call/markup.py),
which escapes everything but the kept tags, and only then into a rich-text label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPaintEvent, QPixmap, QResizeEvent, QShowEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from composer.core.call.markup import message_rich_text
from composer.core.call.networks import NO_DOCUMENTED_LIMIT, TextCount, rules_for
from composer.core.call.preview import MEDIA_WORDS, ProviderPreview
from composer.core.contract import PROVIDER_LABELS, PROVIDERS
from composer.core.pages.cards import CardCheck, LinkCard
from composer.gui.content_editor import plain_tooltip
from composer.gui.theme import Badge, Card, DashedLabel, hint, set_scale, set_state, set_weight

OVERFLOW_COLOR = QColor("#fecaca")


class SelectableOnUse(QObject):
    """Makes a label selectable by mouse when a button is first pressed (or double-clicked) on it,
    before the label sees the event: selecting, double-clicking a word, Copy in the context menu
    and then Ctrl+C all work as on a label that was selectable from the start.

    A selectable label lays its text out a second time, in a text document of its own; the
    previews hold dozens of labels whose text is rarely selected, so that work waits for a click."""

    _shared: SelectableOnUse | None = None

    @classmethod
    def shared(cls) -> SelectableOnUse:
        """The one filter every preview label uses, made with the first label (after the application)."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick) and isinstance(watched, QLabel):
            watched.removeEventFilter(self)
            watched.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            watched.setFocus(Qt.FocusReason.MouseFocusReason)  # too late for Qt to give it focus for this click
        return False


def plain_label(object_name: str = "", wrap: bool = True, label: QLabel | None = None) -> QLabel:
    """``label`` (a new QLabel by default) showing its text as plain text, selectable by mouse."""
    label = QLabel() if label is None else label
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.installEventFilter(SelectableOnUse.shared())
    if object_name:
        label.setObjectName(object_name)
    return label


def message_label(object_name: str) -> QLabel:
    """A label for text already made safe by ``message_rich_text``: the kept tags format it."""
    label = plain_label(object_name)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _set(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)
    if label.isHidden() == bool(text):  # setVisible is not free, and this runs for every label at each keystroke
        label.setVisible(bool(text))


class ProviderCard(Card):
    def __init__(self, provider: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.provider = provider
        self.setObjectName("card")
        self.setAccessibleName(f"{PROVIDER_LABELS[provider]} preview")
        self.name = set_weight(QLabel(PROVIDER_LABELS[provider]), QFont.Weight.DemiBold)
        self.name.setObjectName("cardHeader")
        self.badge = Badge()
        self.badge.setObjectName("badge")
        self.own = Badge("own content", "override")
        self.own.setObjectName("badge")
        self.own.setToolTip(f"{PROVIDER_LABELS[provider]} gets its own content ({provider}UserAction)")
        header = QHBoxLayout()
        header.addWidget(self.name)
        header.addStretch(1)
        header.addWidget(self.own)
        header.addWidget(self.badge)
        self.reason = hint(plain_label("note"))
        self.body = QVBoxLayout()
        self.notes = hint(plain_label("note"))
        # soft rules this content breaks here (a fold, a link or media the network does not take)
        self.warnings = plain_label("note")
        set_state(self.warnings, "severity", "warning")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(header)
        layout.addWidget(self.reason)
        layout.addLayout(self.body)
        layout.addWidget(self.notes)
        layout.addWidget(self.warnings)

    def show_preview(self, p: ProviderPreview) -> None:
        state = "attempted" if p.attempted else "skipped"
        self.badge.setText("will be attempted" if p.attempted else "not attempted")
        self.badge.setToolTip(plain_tooltip("Published if the user is connected to this network" if p.attempted else p.reason))
        set_state(self.badge, "state", state)
        set_state(self, "attempted", "true" if p.attempted else "false")
        self.own.setVisible(p.overridden)
        _set(self.reason, p.reason)
        _set(self.notes, "\n".join(p.notes))
        _set(self.warnings, "\n".join(f"⚠ {warning}" for warning in p.warnings))


class ThumbnailView(QWidget):
    """An image scaled to the card's width (never wider than itself, never taller than
    ``MAX_HEIGHT``), kept in proportion; hidden while there is none."""

    #: Our choice: a thumbnail never takes more of the column than this.
    MAX_HEIGHT = 220

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._image = QImage()
        self._pixmap = QPixmap()
        self._scaled_pixmap = QPixmap()
        self._heights: dict[int, int] = {}
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setVisible(False)

    def set_image(self, image: QImage) -> None:
        if image.cacheKey() == self._image.cacheKey():
            return
        self._image = image
        self._pixmap = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        self._scaled_pixmap = QPixmap()
        self._heights.clear()
        self.setVisible(not image.isNull())
        self.updateGeometry()
        self.update()

    def _scaled(self, width: int) -> QSize:
        if self._image.isNull():
            return QSize(0, 0)
        size = self._image.size() / self._image.devicePixelRatio()
        return size.scaled(QSize(width, self.MAX_HEIGHT), Qt.AspectRatioMode.KeepAspectRatio).boundedTo(size)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        # layouts ask for the same few widths again and again while the cards around change
        if width not in self._heights:
            self._heights[width] = self._scaled(width).height()
        return self._heights[width]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(120, self.heightForWidth(self.width() or 120))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(40, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.height() != self.heightForWidth(self.width()):
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self._pixmap.isNull():
            return
        shown = self._scaled(self.width())
        ratio = self.devicePixelRatioF()
        if self._scaled_pixmap.deviceIndependentSize().toSize() != shown:
            # scaled smoothly once per size, not at every repaint of the card around it
            self._scaled_pixmap = self._pixmap.scaled(
                shown * ratio, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            self._scaled_pixmap.setDevicePixelRatio(ratio)
        painter = QPainter(self)
        painter.drawPixmap(QPoint((self.width() - shown.width()) // 2, 0), self._scaled_pixmap)


class CardPreview(ProviderCard):
    """Message plus a link card: title, subtitle (Facebook), description, domain, image, action link."""

    def __init__(self, provider: str, parent: QWidget | None = None):
        super().__init__(provider, parent)
        self.message = message_label("message")
        self.link = Card(radius=6, filled=False)
        self.link.setObjectName("linkCard")
        self.image = plain_label("imagePlaceholder", label=DashedLabel())
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # larger than the text around it rather than bold: for a CJK title a bold weight is another
        # large CJK face to load, while the regular one is already in use
        self.title = set_scale(plain_label("linkTitle"), 1.15)
        self.subtitle = plain_label()
        self.description = plain_label()
        self.domain = hint(plain_label("domain"))
        # the link back as this network receives it (shortened under shortURLs)
        self.posted_link = hint(plain_label("domain"))
        self.action = hint(plain_label("domain"))
        self.thumbnail = ThumbnailView()
        self.thumbnail.setAccessibleName("Card image")
        inner = QVBoxLayout(self.link)
        inner.setContentsMargins(8, 6, 8, 6)
        for widget in (self.thumbnail, self.image, self.title, self.subtitle, self.description, self.domain, self.posted_link, self.action):
            inner.addWidget(widget)
        rules = rules_for(provider)
        limit = f"at most {rules.text.limit}" if rules.text.limit is not None else NO_DOCUMENTED_LIMIT
        self.remaining, self.counter, row = counter_row(
            f"{PROVIDER_LABELS[provider]} {rules.text.name} length",
            plain_tooltip(f"The length of the {rules.text.name} as {PROVIDER_LABELS[provider]} counts it: {limit}"),
        )
        self.body.addWidget(self.message)
        self.body.addWidget(self.link)
        self.body.addLayout(row)
        #: where the card comes from and what the page disagrees about
        self.card_notes = hint(plain_label("note"))
        self.body.addWidget(self.card_notes)
        self._check: CardCheck | None = None
        self._page_note = ""
        self._preview: ProviderPreview | None = None
        #: what stands for the media item while no image is shown ("[audio] ...", "[video] x.jpg")
        self._media_text = ""
        #: image URL -> its thumbnail, shared by every card (the panel's)
        self.images: dict[str, QImage] = {}

    def show_preview(self, p: ProviderPreview) -> None:
        super().show_preview(p)
        self._preview = p
        card = p.card
        _set(self.message, message_rich_text(p.content.get("userMessage", "")))
        if card is None:
            self.link.setVisible(False)
            return
        has_card = any((card.title, card.description, card.domain, card.image, card.media_type, card.action_link, card.subtitle))
        self.link.setVisible(has_card)
        image_text = ""
        if card.image:
            kind = MEDIA_WORDS.get(card.media_type, card.media_type)
            image_text = f"[{kind}] {card.image.rsplit('/', 1)[-1] or card.image}"
        elif card.media_type == "mp3":
            image_text = f"[audio] {card.media_caption}".strip()
        self._media_text = image_text  # shown by _show_page_card unless an image takes its place
        self.image.setToolTip(plain_tooltip(card.image))
        _set(self.title, card.title)
        _set(self.subtitle, card.subtitle)
        _set(self.description, card.description)
        _set(self.domain, card.domain.upper())
        _set(self.posted_link, card.link)
        self.posted_link.setToolTip(plain_tooltip(f"posted as {card.link} (from {p.link[0]})" if card.link != p.link[0] else ""))
        _set(self.action, f"→ {card.action_link}" if card.action_link else "")
        show_count(self.counter, self.remaining, p.count)
        self._show_page_card()

    def show_link_card(self, check: CardCheck | None, note: str) -> None:
        """The card this network builds from the linked page (None: not read yet) and a quiet
        note when the page could not be read."""
        if check == self._check and note == self._page_note:
            return
        self._check, self._page_note = check, note
        self._show_page_card()

    def show_thumbnail(self, url: str) -> None:
        """``url``'s thumbnail is in ``images`` now: show it if this card shows that image."""
        if url == self._image_url():
            self._show_page_card()

    def _image_url(self) -> str:
        if self._check is not None and self._check.card is not None:
            return self._check.card.image
        own = self._preview.card if self._preview is not None else None
        return own.image if own is not None else ""

    def _show_page_card(self) -> None:
        page = self._check.card if self._check is not None else None
        if page is not None and page.source == "page":
            _set(self.title, page.title)
            _set(self.description, page.description)
            _set(self.domain, page.site.upper())
            if self.link.isHidden():
                self.link.setVisible(True)
        image = self.images.get(self._image_url(), QImage())
        self.thumbnail.set_image(image)
        # worked out again whenever the card or its page changes: the placeholder of an image
        # shown a moment ago comes back when the page that gave it goes
        placeholder = self._media_text
        if not image.isNull():
            placeholder = ""  # the image itself is shown
        elif page is not None and page.image and page.image_source == "page" and not placeholder:
            placeholder = f"[image] {page.image.rsplit('/', 1)[-1]}"
        _set(self.image, placeholder)
        lines = [self._page_note] if self._page_note else []
        if page is not None and page.source == "page":
            lines.append("Card from the linked page's tags.")
        if self._check is not None:
            lines.extend(f"⚠ {w}" for w in self._check.warnings)
        _set(self.card_notes, "\n".join(lines))


class TweetView(QPlainTextEdit):
    """The tweet, read-only and exactly as tall as its wrapped text: a long tweet is never cut and
    never scrolls inside the card."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self._fit)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()  # a new width wraps the text anew

    def _fit(self) -> None:
        # each block's rectangle is its wrapped lines at the current width; QPlainTextEdit counts
        # the whole text as visible when the viewport has the document's margin and one pixel more
        block = self.document().firstBlock()
        text_height = self.document().documentMargin() + 1
        while block.isValid():
            text_height += self.blockBoundingRect(block).height()
            block = block.next()
        margins = self.contentsMargins()
        height = math.ceil(text_height) + margins.top() + margins.bottom() + 2 * self.frameWidth()
        if self.minimumHeight() != height or self.maximumHeight() != height:
            self.setFixedHeight(height)


class LinkCardView(Card):
    """The card a network draws for a link: image, title, description and site."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, radius=6, filled=False)
        self.setObjectName("linkCard")
        self.thumbnail = ThumbnailView()
        self.title = set_scale(plain_label("linkTitle"), 1.15)
        self.description = plain_label()
        self.site = hint(plain_label("domain"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        for widget in (self.thumbnail, self.title, self.description, self.site):
            layout.addWidget(widget)
        self.setVisible(False)

    def show_card(self, card: LinkCard | None, image: QImage) -> None:
        self.setVisible(card is not None)
        if card is None:
            return
        _set(self.title, card.title)
        _set(self.description, card.description)
        _set(self.site, card.site.upper())
        self.thumbnail.set_image(image)


def counter_row(name: str, tip: str) -> tuple[QLabel, QLabel, QHBoxLayout]:
    """Below a card's text: what is left of its limit on the left, its length on the right (named
    ``name`` for screen readers, ``tip`` saying how the network counts).  Filled by :func:`show_count`."""
    remaining = hint(QLabel())
    remaining.setObjectName("domain")
    counter = QLabel()
    counter.setObjectName("counter")
    counter.setAccessibleName(name)
    counter.setToolTip(tip)
    row = QHBoxLayout()
    row.addWidget(remaining)
    row.addStretch(1)
    row.addWidget(counter)
    return remaining, counter, row


def show_count(counter: QLabel, remaining: QLabel, count: TextCount | None) -> None:
    """A network's counter ("3001/3000", red once over) and what is left, or that it has no limit."""
    if count is None:
        return
    counter.setText(count.counter() if count.limit is not None else str(count.length))
    set_state(counter, "over", "true" if count.over else "false")
    if count.limit is None:
        remaining.setText(NO_DOCUMENTED_LIMIT)
    elif count.over:
        remaining.setText(f"{-count.remaining} over the limit of its {count.name}")
    else:
        remaining.setText(f"{count.remaining} left")


class TwitterPreview(ProviderCard):
    """The tweet (title and link back only) with Twitter's weighted counter; the overflow is highlighted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("twitter", parent)
        self.tweet = TweetView()
        self.tweet.setObjectName("tweet")
        self.tweet.setAccessibleName("Tweet text")
        self.remaining, self.counter, row = counter_row(
            "Twitter weighted length",
            "Twitter's weighted length (v3 rules): most CJK characters and emoji count 2, every URL counts 23; 280 at most.",
        )
        self.body.addWidget(self.tweet)
        self.body.addLayout(row)
        self._shown: tuple[str, int | None] | None = None
        #: the card Twitter builds from the linked page's tags, and what it warns about
        self.link_card = LinkCardView()
        self.card_notes = hint(plain_label("note"))
        self.body.addWidget(self.link_card)
        self.body.addWidget(self.card_notes)
        self._check: CardCheck | None = None
        self._page_note = ""
        #: image URL -> its thumbnail, shared by every card (the panel's)
        self.images: dict[str, QImage] = {}

    def show_preview(self, p: ProviderPreview) -> None:
        super().show_preview(p)
        count = p.twitter
        key = (p.text, count.overflow_index if count else None)
        if key != self._shown:
            self._shown = key
            self._show_text(p.text, key[1])
        if count is None:
            return
        self.counter.setText(f"{count.weighted_length}/{count.limit}")
        set_state(self.counter, "over", "true" if count.remaining < 0 else "false")
        if count.remaining < 0:
            self.remaining.setText(f"{-count.remaining} over the limit; the highlighted text does not fit")
        else:
            self.remaining.setText(f"{count.remaining} left")

    def _show_text(self, text: str, overflow: int | None) -> None:
        # each part goes in with a format of its own: setPlainText would give the whole text the
        # format last used, and a tweet that fits again would stay marked as overflowing
        self.tweet.clear()
        cursor = QTextCursor(self.tweet.document())
        cursor.insertText(text if overflow is None else text[:overflow], QTextCharFormat())
        if overflow is not None:
            marked = QTextCharFormat()
            marked.setBackground(QBrush(QColor(OVERFLOW_COLOR)))
            marked.setForeground(QBrush(QColor("#7f1d1d")))
            cursor.insertText(text[overflow:], marked)

    def show_link_card(self, check: CardCheck | None, note: str) -> None:
        self._check, self._page_note = check, note
        card = check.card if check is not None else None
        self.link_card.show_card(card, self.images.get(card.image, QImage()) if card is not None else QImage())
        lines = [note] if note else []
        if check is not None:
            lines.extend(f"⚠ {w}" for w in check.warnings)
        _set(self.card_notes, "\n".join(lines))

    def show_thumbnail(self, url: str) -> None:
        card = self._check.card if self._check is not None else None
        if card is not None and card.image == url:
            self.link_card.thumbnail.set_image(self.images.get(url, QImage()))

    def overflow_text(self) -> str:
        """The highlighted part (what does not fit) as the tweet view shows it, for tests and
        accessibility."""
        marked = []
        block = self.tweet.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.charFormat().background().color() == OVERFLOW_COLOR:
                    marked.append(fragment.text())
                fragments += 1
            block = block.next()
        return "".join(marked)


class PreviewPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("Previews")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setSpacing(10)
        self.cards: dict[str, ProviderCard] = {}
        #: image URL -> its thumbnail, as loaded so far (every card looks its image up here)
        self.images: dict[str, QImage] = {}
        for provider in PROVIDERS:
            card: ProviderCard = TwitterPreview() if provider == "twitter" else CardPreview(provider)
            card.images = self.images
            self.cards[provider] = card
            layout.addWidget(card)
        layout.addStretch(1)
        self.setWidget(content)
        #: the network whose card the panel keeps at the top ("" for none), until the user scrolls
        self._followed = ""
        self.verticalScrollBar().actionTriggered.connect(self._user_scrolled)
        # cards grow when their page or image arrives: the followed one stays where it was put
        content.installEventFilter(self)

    def show_previews(self, previews: list[ProviderPreview]) -> None:
        for p in previews:
            self.cards[p.provider].show_preview(p)

    def show_link_cards(self, cards: Mapping[str, CardCheck], notes: Mapping[str, str]) -> None:
        for provider, card in self.cards.items():
            if isinstance(card, (CardPreview, TwitterPreview)):
                card.show_link_card(cards.get(provider), notes.get(provider, ""))

    def show_thumbnail(self, url: str, image: QImage, note: str) -> None:
        """``url``'s image has loaded (null with a note when it could not be)."""
        self.images[url] = image
        for card in self.cards.values():
            if isinstance(card, (CardPreview, TwitterPreview)):
                card.show_thumbnail(url)

    def scroll_to(self, provider: str) -> None:
        """Bring ``provider``'s card to the top of the panel (as far as the scrolling goes); a
        hidden panel does it when it is shown, once its cards have their places."""
        self._followed = provider
        if self.isVisible():
            self._scroll_to_followed()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._followed:
            self._scroll_to_followed()

    def _user_scrolled(self, _action: int) -> None:
        self._followed = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and watched is self.widget() and self._followed and self.isVisible():
            self._scroll_to_followed()
        return False

    def _scroll_to_followed(self) -> None:
        layout = self.widget().layout()
        layout.activate()  # the cards' places after the latest change of their contents
        self.verticalScrollBar().setValue(self.cards[self._followed].y() - max(layout.spacing(), 0))

    @property
    def twitter(self) -> TwitterPreview:
        card = self.cards["twitter"]
        assert isinstance(card, TwitterPreview)
        return card
