package model

// NotificationPage is one page of the actor's in-app notices, newest
// first, with what a client needs to page on and draw the bell.
type NotificationPage struct {
	Items  []Notification
	Total  int // the actor's in-app notices
	Unread int
}
